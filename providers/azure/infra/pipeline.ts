import { createHash } from "node:crypto";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { AudienceStore } from "./audienceStore";
import { type AzureStackConfig, tickIntervalSecondsOf } from "./config";
import { DataStore } from "./dataStore";
import { FUNCTION_ENV, type FunctionEnvKey, RESPONSES_ENV } from "./environment";
import { ARCHIVE_EVENTS_PREFIX, EventArchive } from "./eventArchive";
import { EventStream } from "./eventStream";
import { FunctionStorage } from "./functionStorage";
import { APP_NAMES, type AppName, CAMPAIGNS_APP, HANDLER_NAMES, type HandlerName } from "./handlerNames";
import { Monitoring } from "./monitoring";
import { dnsLabelOf, storageAccountNameOf } from "./naming";
import { Notifications } from "./notifications";
import type { Grant } from "./roles";
import { SmsChannel } from "./smsChannel";
import { type CampaignStackOutput, REVOCATION_CLOCKS_OUTPUT } from "./stackOutputs";
import { StreamFunction } from "./streamFunction";

export const PIPELINE_TYPE = "sms:azure:Pipeline";
/** The shared config has no campaigns table name yet (core/config NamesSchema); fixed until it does. */
export const CAMPAIGNS_CONTAINER_NAME = "sms-campaigns";
export const ENROLLMENT_QUEUE_NAME = "sms-enrollment";

/** A host id unique per deployment and app, within the 32 characters Functions allows. */
export const hostIdOf = (deploymentName: string, app: AppName): string =>
  `${app}-${createHash("sha256").update(`${deploymentName}/${app}`).digest("hex").slice(0, 12)}`;
export { HANDLER_NAMES, type HandlerName };

/** The validated stack config (see ./config), plus the zipped app of each function. */
export interface PipelineArgs extends AzureStackConfig {
  /** Names the resource group and the resources config does not name (`sms-campaigns-azure`). */
  deploymentName: string;
  code: Record<AppName, pulumi.Input<pulumi.asset.Archive>>;
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
  public readonly audience: AudienceStore;
  /** The campaigns app: the journey ticker (timer) and enrollment (the enrollment queue). */
  public readonly campaigns: StreamFunction;
  /** What the responses app confirms a STOP with, for `smsctl review accept --stack` (the `replySender` output). */
  public readonly replySender: Record<
    "stopConfirmationText" | "acsEndpoint" | "senderNumber",
    pulumi.Input<string>
  >;

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
          pendingReceipts: names.pendingReceiptsTable,
          optOutReviews: names.optOutReviewsTable,
          revocations: names.revocationClocksTable,
          consentLog: names.consentLogTable,
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
        enrollmentQueueName: ENROLLMENT_QUEUE_NAME,
      },
      child,
    );
    this.audience = new AudienceStore(
      `${name}-audience`,
      {
        resourceGroupName,
        location,
        accountName: storageAccountNameOf(names.archiveBucketPrefix, deploymentName, "audience"),
        enrollmentQueueId: this.notifications.enrollmentQueue.id,
        deadLetter: {
          storageAccountId: this.archive.account.id,
          containerName: this.archive.deadLetterContainer.name,
          containerId: this.archive.deadLetterContainer.id,
        },
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
        deploymentContainers: APP_NAMES.map((id) => `${id}-package`),
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
      journeysContainer: containers.journeys.name,
      subscribersContainer: containers.subscribers.name,
      sendLedgerContainer: containers.ledger.name,
      campaignsContainer: containers.campaigns.name,
      pendingReceiptsContainer: containers.pendingReceipts.name,
      optOutReviewsContainer: containers.optOutReviews.name,
      revocationClocksContainer: containers.revocations.name,
      revocationSlaMinutes: String(args.revocationSlaMinutes),
      optOutThresholds: JSON.stringify(args.optOutThresholds),
      circuitBreaker: JSON.stringify(args.circuitBreaker),
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
      audienceBlobEndpoint: this.audience.blobEndpoint,
      audienceContainer: this.audience.container.name,
      enrollmentQueue: this.notifications.enrollmentQueue.name,
      serviceBusTriggerNamespace: this.notifications.fullyQualifiedNamespace,
      tickSchedule: args.tickSchedule,
      tickIntervalSeconds: String(tickIntervalSecondsOf(args.tickSchedule)),
      tickMps: String(args.tickMps),
      tickBudgetUsd: args.tickBudgetUsd === undefined ? "" : String(args.tickBudgetUsd),
      sendWindowStartHour: String(args.sendWindow.startHour),
      sendWindowEndHour: String(args.sendWindow.endHour),
      enrollmentChunkRows: String(args.enrollmentChunkRows),
    };
    this.replySender = {
      stopConfirmationText: environment.stopConfirmationText!,
      acsEndpoint: environment.acsEndpoint!,
      senderNumber: environment.senderNumber!,
    };
    const common: Grant[] = [
      { role: "eventHubsDataReceiver", scope: this.stream.hub.id },
      { role: "storageBlobDataOwner", scope: this.functionStorage.account.id },
      { role: "serviceBusDataSender", scope: this.notifications.deadLetterQueue.id },
      { role: "monitoringMetricsPublisher", scope: this.monitoring.appInsights.id },
    ];
    const grants: Record<HandlerName, Grant[]> = {
      // The circuit breaker announces each pause on the notification topic.
      analytics: [...common, { role: "serviceBusDataSender", scope: this.notifications.topic.id }],
      responses: [
        ...common,
        { role: "serviceBusDataSender", scope: this.notifications.topic.id },
        { role: "contributor", scope: this.channel.service.id },
      ],
      archive: [...common, { role: "storageBlobDataContributor", scope: this.archive.container.id }],
    };
    const appSettings = Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [FUNCTION_ENV[key as FunctionEnvKey], value]),
    );
    // The phone hash's salt, a secret, reaches the apps that write a number: responses (it hashes
    // numbers in notifications), archive and campaigns (ticker, enrollment), which all look erased
    // numbers up by their salted hash (smsctl erase's tombstones) and leave them out.
    const salted: Record<string, pulumi.Input<string>> = args.phoneHashSalt
      ? { [RESPONSES_ENV.phoneHashSalt]: pulumi.secret(args.phoneHashSalt) }
      : {};
    const screensErased: Record<HandlerName, boolean> = { analytics: false, responses: true, archive: true };
    const settingsOf = (id: HandlerName): Record<string, pulumi.Input<string>> => ({
      ...appSettings,
      [FUNCTION_ENV.handler]: id,
      [FUNCTION_ENV.consumerGroup]: this.stream.consumerGroups[id].name,
      ...(screensErased[id] ? salted : {}),
      // Only the responses app appends consent evidence.
      ...(id === "responses" ? { [RESPONSES_ENV.consentLogContainer]: containers.consentLog.name } : {}),
    });
    const appArgs = (id: AppName) => ({
      resourceGroupName,
      location,
      functionAppName: `${label}-${id}`,
      code: args.code[id],
      hostId: hostIdOf(deploymentName, id),
      hostStorageAccountName: this.functionStorage.account.name,
      hostBlobEndpoint: this.functionStorage.blobEndpoint,
      deploymentContainerName: this.functionStorage.containers[`${id}-package`].name,
      eventHubsNamespace: this.stream.fullyQualifiedNamespace,
      appInsightsConnectionString: this.monitoring.appInsights.connectionString,
      instanceMemoryMb: args.functionInstanceMemoryMb,
      maxInstances: args.functionMaxInstances,
    });
    const fn = (id: HandlerName) =>
      new StreamFunction(
        `${name}-${id}`,
        {
          ...appArgs(id),
          settings: settingsOf(id),
          eventHubTrigger: {
            batchSize: args.batchSize,
            batchWindowSeconds: args.batchWindowSeconds,
            initialOffset: args.initialOffset,
          },
          grants: grants[id],
        },
        child,
      );
    this.functions = { analytics: fn("analytics"), responses: fn("responses"), archive: fn("archive") };
    // The ticker publishes `queued` events and sends SMS; enrollment reads audiences and its queue.
    const enrollmentQueue = this.notifications.enrollmentQueue.id;
    this.campaigns = new StreamFunction(
      `${name}-${CAMPAIGNS_APP}`,
      {
        ...appArgs(CAMPAIGNS_APP),
        settings: { ...appSettings, ...salted },
        identityConnections: [FUNCTION_ENV.serviceBusTriggerNamespace.split("__")[0]],
        grants: [
          { role: "eventHubsDataSender", scope: this.stream.hub.id },
          { role: "storageBlobDataOwner", scope: this.functionStorage.account.id },
          { role: "serviceBusDataSender", scope: this.notifications.deadLetterQueue.id },
          { role: "monitoringMetricsPublisher", scope: this.monitoring.appInsights.id },
          { role: "serviceBusDataReceiver", scope: enrollmentQueue },
          { role: "serviceBusDataSender", scope: enrollmentQueue },
          { role: "storageBlobDataReader", scope: this.audience.container.id },
          { role: "contributor", scope: this.channel.service.id },
        ],
      },
      child,
    );
    this.data.grantContainers(
      `${name}-${CAMPAIGNS_APP}`,
      this.campaigns.identity.principalId,
      ["journeys", "subscribers", "ledger", "optOuts", "campaigns", "revocations"],
      resourceGroupName,
    );
    // The ticker only reads the review queue: a number held for review gets nothing until decided.
    this.data.grantContainers(
      `${name}-${CAMPAIGNS_APP}-reviews`,
      this.campaigns.identity.principalId,
      ["optOutReviews", "messages"],
      resourceGroupName,
      "read",
    );
    // Reply routing writes journey states and campaign reply counters; it only looks subscribers up.
    this.data.grantContainers(
      `${name}-responses`,
      this.functions.responses.identity.principalId,
      ["responses", "optOuts", "optOutReviews", "messages", "journeys", "campaigns", "revocations"],
      resourceGroupName,
    );
    // Consent evidence is append-only: create and read entries, never replace or delete them.
    this.data.grantAppendOnly(
      `${name}-responses`,
      this.functions.responses.identity.principalId,
      "consentLog",
      resourceGroupName,
    );
    this.data.grantContainers(
      `${name}-responses-routing`,
      this.functions.responses.identity.principalId,
      ["subscribers"],
      resourceGroupName,
      "read",
    );
    // Analytics and archive read the message log to complete phone-less receipts, and park the
    // ones it does not know yet.
    for (const id of ["analytics", "archive"] as const) {
      this.data.grantContainers(
        `${name}-${id}`,
        this.functions[id].identity.principalId,
        ["messages"],
        resourceGroupName,
        "read",
      );
      this.data.grantContainers(
        `${name}-${id}`,
        this.functions[id].identity.principalId,
        ["pendingReceipts"],
        resourceGroupName,
      );
    }
    // Erasure tombstones (opt-outs container, erased#<hash>): the archive drops an erased number's rows.
    this.data.grantContainers(
      `${name}-archive-erasures`,
      this.functions.archive.identity.principalId,
      ["optOuts"],
      resourceGroupName,
      "read",
    );
    // The circuit breaker keeps its window counters and the pause in the campaign's items.
    this.data.grantContainers(
      `${name}-analytics`,
      this.functions.analytics.identity.principalId,
      ["campaigns"],
      resourceGroupName,
    );
    this.registerOutputs(azurePipelineOutputs(this));
  }
}

/** What `smsctl campaign` reads (connectAzureStack): exactly the names of ./stackOutputs. */
const campaignStackOutputsOf = (pipeline: Pipeline): Record<CampaignStackOutput, pulumi.Output<string>> => ({
  cosmosEndpoint: pipeline.data.endpoint,
  cosmosDatabase: pipeline.data.database.name,
  campaignsContainer: pipeline.data.containers.campaigns.name,
  audienceBlobEndpoint: pipeline.audience.blobEndpoint,
  audienceContainer: pipeline.audience.container.name,
});

/** The stack outputs, one shape for the entry file and for registerOutputs. */
export const azurePipelineOutputs = (pipeline: Pipeline) => ({
  ...campaignStackOutputsOf(pipeline),
  [REVOCATION_CLOCKS_OUTPUT]: pipeline.data.containers.revocations.name,
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
  replySender: pipeline.replySender,
  appInsightsName: pipeline.monitoring.appInsights.name,
  enrollmentQueue: pipeline.notifications.enrollmentQueue.name,
  functionAppNames: Object.fromEntries(
    Object.entries({ ...pipeline.functions, [CAMPAIGNS_APP]: pipeline.campaigns }).map(([id, f]) => [
      id,
      f.functionAppName,
    ]),
  ),
});

export type AzureStackOutputs = ReturnType<typeof azurePipelineOutputs>;
