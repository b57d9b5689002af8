import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import type { AzureStackConfig } from "./config";
import { DataStore } from "./dataStore";
import { FUNCTION_ENV, type FunctionEnvKey } from "./environment";
import { ARCHIVE_EVENTS_PREFIX, EventArchive } from "./eventArchive";
import { EventStream } from "./eventStream";
import { FunctionStorage } from "./functionStorage";
import { HANDLER_NAMES, type HandlerName } from "./handlerNames";
import { Monitoring } from "./monitoring";
import { dnsLabelOf, storageAccountNameOf } from "./naming";
import { Notifications } from "./notifications";
import type { Grant } from "./roles";
import { SmsChannel } from "./smsChannel";
import { StreamFunction } from "./streamFunction";

export const PIPELINE_TYPE = "sms:azure:Pipeline";
/** The shared config has no campaigns table name yet (core/config NamesSchema); fixed until it does. */
export const CAMPAIGNS_CONTAINER_NAME = "sms-campaigns";
export { HANDLER_NAMES, type HandlerName };

/** The validated stack config (see ./config), plus the zipped app of each function. */
export interface PipelineArgs extends AzureStackConfig {
  /** Names the resource group and the resources config does not name (`sms-campaigns-azure`). */
  deploymentName: string;
  code: Record<HandlerName, pulumi.Input<pulumi.asset.Archive>>;
}

/**
 * The Azure deployment: Communication Services SMS -> Event Grid system topic -> Event Hubs ->
 * three function apps (analytics, responses, archive; each its own consumer group and identity)
 * -> Cosmos DB, Blob Storage (Parquet), Service Bus, Application Insights. Everything is Entra ID
 * only; every role assignment is scoped to one resource.
 */
export class Pipeline extends pulumi.ComponentResource {
  public readonly resourceGroup: resources.ResourceGroup;
  public readonly stream: EventStream;
  public readonly data: DataStore;
  public readonly archive: EventArchive;
  public readonly notifications: Notifications;
  public readonly channel: SmsChannel;
  public readonly functionStorage: FunctionStorage;
  public readonly monitoring: Monitoring;
  public readonly functions: Record<HandlerName, StreamFunction>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PIPELINE_TYPE, name, {}, opts);
    const child = { parent: this };
    const { names, deploymentName } = args;
    const label = dnsLabelOf(deploymentName, 40);

    this.resourceGroup = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: deploymentName, ...(args.location ? { location: args.location } : {}) },
      child,
    );
    const resourceGroupName = this.resourceGroup.name;
    const location = this.resourceGroup.location;

    this.archive = new EventArchive(
      `${name}-archive`,
      {
        resourceGroupName,
        location,
        accountName: storageAccountNameOf(names.archiveBucketPrefix, deploymentName, "archive"),
        containerName: "archive",
        coolAfterDays: args.archiveCoolAfterDays,
        coldAfterDays: args.archiveColdAfterDays,
        expirationDays: args.archiveExpirationDays,
      },
      child,
    );
    this.stream = new EventStream(
      `${name}-events`,
      {
        resourceGroupName,
        location,
        namespaceName: `${label}-events`,
        hubName: names.stream,
        tier: args.eventHubsTier,
        capacity: args.eventHubsCapacity,
        partitionCount: args.partitionCount,
        retentionHours: args.streamRetentionHours,
        consumerGroups: HANDLER_NAMES,
        ...(args.captureEnabled
          ? {
              capture: {
                storageAccountId: this.archive.account.id,
                containerName: this.archive.container.name,
                containerId: this.archive.container.id,
              },
            }
          : {}),
      },
      child,
    );
    this.data = new DataStore(
      `${name}-data`,
      {
        resourceGroupName,
        location,
        accountName: `${label}-data`,
        databaseName: "sms",
        containerNames: {
          responses: names.responsesTable,
          optOuts: names.optOutsTable,
          ledger: names.sendLedgerTable,
          journeys: names.journeysTable,
          messages: names.messageLogTable,
          subscribers: names.subscribersTable,
          campaigns: CAMPAIGNS_CONTAINER_NAME,
        },
        responseTtlSeconds: args.responseTtlDays * 86_400,
      },
      child,
    );
    this.notifications = new Notifications(
      `${name}-notifications`,
      {
        resourceGroupName,
        location,
        namespaceName: `${label}-bus`,
        topicName: names.notificationTopic,
        deadLetterQueueName: names.deadLetterQueue,
      },
      child,
    );
    this.channel = new SmsChannel(
      `${name}-sms`,
      {
        resourceGroupName,
        communicationServiceName: `${label}-acs`,
        dataLocation: args.acsDataLocation,
        eventHubId: this.stream.hub.id,
        deadLetter: {
          storageAccountId: this.archive.account.id,
          containerName: this.archive.deadLetterContainer.name,
          containerId: this.archive.deadLetterContainer.id,
        },
      },
      child,
    );
    this.monitoring = new Monitoring(
      `${name}-monitoring`,
      {
        resourceGroupName,
        location,
        deploymentName,
        metricNamespace: names.metricNamespace,
        logRetentionDays: args.logRetentionDays,
        ...(args.notificationEmail ? { notificationEmail: args.notificationEmail } : {}),
        deadLetterQueueName: this.notifications.deadLetterQueue.name,
        serviceBusNamespaceId: this.notifications.namespace.id,
        deliveryRateThresholdPercent: args.alarms.deliveryRatePercent,
        optOutRateThresholdPercent: args.alarms.optOutRatePercent,
        consumerLagThresholdMs: args.alarms.iteratorAgeMs,
      },
      child,
    );
    this.functionStorage = new FunctionStorage(
      `${name}-functions`,
      {
        resourceGroupName,
        location,
        accountName: storageAccountNameOf(names.archiveBucketPrefix, deploymentName, "functions"),
        deploymentContainers: HANDLER_NAMES.map((id) => `${id}-package`),
      },
      child,
    );

    const containers = this.data.containers;
    const environment: Partial<Record<FunctionEnvKey, pulumi.Input<string>>> = {
      eventHubName: this.stream.hub.name,
      cosmosEndpoint: this.data.endpoint,
      cosmosDatabase: this.data.database.name,
      responsesContainer: containers.responses.name,
      optOutsContainer: containers.optOuts.name,
      messageLogContainer: containers.messages.name,
      archiveBlobEndpoint: this.archive.blobEndpoint,
      archiveContainer: this.archive.container.name,
      archivePrefix: "",
      serviceBusNamespace: this.notifications.fullyQualifiedNamespace,
      notificationTopic: this.notifications.topic.name,
      deadLetterQueue: this.notifications.deadLetterQueue.name,
      acsEndpoint: this.channel.endpoint,
      senderNumber: args.smsSenderNumber ?? "",
      logLevel: args.logLevel,
      serviceName: "sms-campaigns",
      metricNamespace: names.metricNamespace,
      helpText: args.helpText,
      stopConfirmationText: args.stopConfirmationText,
      notificationPatterns: JSON.stringify(args.notificationPatterns),
      responseTtlDays: String(args.responseTtlDays),
      recordMaxAttempts: String(args.recordMaxAttempts),
    };
    const common: Grant[] = [
      { role: "eventHubsDataReceiver", scope: this.stream.hub.id },
      { role: "storageBlobDataOwner", scope: this.functionStorage.account.id },
      { role: "serviceBusDataSender", scope: this.notifications.deadLetterQueue.id },
      { role: "monitoringMetricsPublisher", scope: this.monitoring.appInsights.id },
    ];
    const grants: Record<HandlerName, Grant[]> = {
      analytics: common,
      responses: [
        ...common,
        { role: "serviceBusDataSender", scope: this.notifications.topic.id },
        { role: "contributor", scope: this.channel.service.id },
      ],
      archive: [...common, { role: "storageBlobDataContributor", scope: this.archive.container.id }],
    };
    const settingsOf = (id: HandlerName): Record<string, pulumi.Input<string>> => ({
      ...Object.fromEntries(
        Object.entries(environment).map(([key, value]) => [FUNCTION_ENV[key as FunctionEnvKey], value]),
      ),
      [FUNCTION_ENV.handler]: id,
      [FUNCTION_ENV.consumerGroup]: this.stream.consumerGroups[id].name,
    });
    const fn = (id: HandlerName) =>
      new StreamFunction(
        `${name}-${id}`,
        {
          resourceGroupName,
          location,
          functionAppName: `${label}-${id}`,
          code: args.code[id],
          hostStorageAccountName: this.functionStorage.account.name,
          hostBlobEndpoint: this.functionStorage.blobEndpoint,
          deploymentContainerName: this.functionStorage.containers[`${id}-package`].name,
          eventHubsNamespace: this.stream.fullyQualifiedNamespace,
          appInsightsConnectionString: this.monitoring.appInsights.connectionString,
          settings: settingsOf(id),
          batchSize: args.batchSize,
          batchWindowSeconds: args.batchWindowSeconds,
          initialOffset: args.initialOffset,
          instanceMemoryMb: args.functionInstanceMemoryMb,
          maxInstances: args.functionMaxInstances,
          grants: grants[id],
        },
        child,
      );
    this.functions = { analytics: fn("analytics"), responses: fn("responses"), archive: fn("archive") };
    this.data.grantContainers(
      `${name}-responses`,
      this.functions.responses.identity.principalId,
      ["responses", "optOuts", "messages"],
      resourceGroupName,
    );
    // Analytics and archive read the message log to complete phone-less receipts.
    for (const id of ["analytics", "archive"] as const) {
      this.data.grantContainers(
        `${name}-${id}`,
        this.functions[id].identity.principalId,
        ["messages"],
        resourceGroupName,
        "read",
      );
    }
    this.registerOutputs(azurePipelineOutputs(this));
  }
}

/** The stack outputs, one shape for the entry file and for registerOutputs. */
export const azurePipelineOutputs = (pipeline: Pipeline) => ({
  resourceGroupName: pipeline.resourceGroup.name,
  eventHubsNamespace: pipeline.stream.fullyQualifiedNamespace,
  eventHubName: pipeline.stream.hub.name,
  cosmosEndpoint: pipeline.data.endpoint,
  containers: Object.fromEntries(Object.entries(pipeline.data.containers).map(([id, c]) => [id, c.name])),
  archiveBlobEndpoint: pipeline.archive.blobEndpoint,
  archiveContainer: pipeline.archive.container.name,
  archivePrefix: ARCHIVE_EVENTS_PREFIX,
  serviceBusNamespace: pipeline.notifications.fullyQualifiedNamespace,
  notificationTopic: pipeline.notifications.topic.name,
  deadLetterQueue: pipeline.notifications.deadLetterQueue.name,
  acsEndpoint: pipeline.channel.endpoint,
  appInsightsName: pipeline.monitoring.appInsights.name,
  functionAppNames: Object.fromEntries(
    Object.entries(pipeline.functions).map(([id, f]) => [id, f.functionAppName]),
  ),
});

export type AzureStackOutputs = ReturnType<typeof azurePipelineOutputs>;
