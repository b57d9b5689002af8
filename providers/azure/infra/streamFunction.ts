import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_ENV } from "./environment";
import { assignRoles, type Grant } from "./roles";

export const STREAM_FUNCTION_TYPE = "sms:azure:StreamFunction";

/** The package blob Flex Consumption deploys from. */
export const PACKAGE_BLOB = "released-package.zip";

export interface StreamFunctionArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  functionAppName: pulumi.Input<string>;
  /** The zipped app (package.json `main` = the bundled providers/azure/handlers/index). */
  code: pulumi.Input<pulumi.asset.Archive>;
  hostStorageAccountName: pulumi.Input<string>;
  hostBlobEndpoint: pulumi.Input<string>;
  deploymentContainerName: pulumi.Input<string>;
  eventHubsNamespace: pulumi.Input<string>;
  appInsightsConnectionString: pulumi.Input<string>;
  /** App settings the handler reads (infra/environment.ts names). */
  settings: Record<string, pulumi.Input<string>>;
  /** The Event Hubs trigger's batch settings; absent for an app without one (the campaigns app). */
  eventHubTrigger?: {
    /** Records per invocation, and seconds the trigger waits to fill a batch. */
    batchSize: number;
    batchWindowSeconds: number;
    initialOffset: "fromStart" | "fromEnd";
  };
  /** Further identity-based connections (`<prefix>__credential`, `__clientId`), e.g. ServiceBusConnection. */
  identityConnections?: string[];
  /**
   * The host id (at most 32 characters): the apps share one host storage account, where the id keys
   * each app's locks (the timer singleton among them); the default, the app name cut at 32
   * characters, could make two apps of a long stack name collide.
   */
  hostId: string;
  instanceMemoryMb: number;
  maxInstances: number;
  /** Role assignments of the function's identity, each at a resource scope. */
  grants: Grant[];
}

const hms = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 19);

/**
 * One function app on Flex Consumption (a stream consumer, or the campaigns app) (Linux, Node 22): a user-assigned
 * identity, which every connection uses (storage, Event Hubs, App Insights, Cosmos, Service Bus),
 * the package blob, and the Event Hubs extension settings (batch size, wait time, checkpoint after
 * every batch, start offset of a new consumer group) as host.json overrides in app settings.
 */
export class StreamFunction extends pulumi.ComponentResource {
  public readonly identity: managedidentity.UserAssignedIdentity;
  public readonly plan: web.AppServicePlan;
  public readonly app: web.WebApp;
  public readonly functionAppName: pulumi.Output<string>;

  constructor(name: string, args: StreamFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(STREAM_FUNCTION_TYPE, name, {}, opts);
    const child = { parent: this };
    this.identity = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName: args.resourceGroupName, location: args.location },
      child,
    );
    const roles = assignRoles(name, this.identity.principalId, args.grants, this);
    this.plan = new web.AppServicePlan(
      `${name}-plan`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "functionapp",
        reserved: true,
        sku: { name: "FC1", tier: "FlexConsumption" },
      },
      child,
    );
    const packageBlob = new storage.Blob(
      `${name}-package`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: args.hostStorageAccountName,
        containerName: args.deploymentContainerName,
        blobName: PACKAGE_BLOB,
        type: storage.BlobType.Block,
        source: args.code,
      },
      child,
    );
    const clientId = this.identity.clientId;
    const identitySettings = (prefix: string) => ({
      [`${prefix}__credential`]: "managedidentity",
      [`${prefix}__clientId`]: clientId,
    });
    const extension = "AzureFunctionsJobHost__extensions__eventHubs";
    const trigger = args.eventHubTrigger;
    const appSettings: Record<string, pulumi.Input<string>> = {
      AzureWebJobsStorage__accountName: args.hostStorageAccountName,
      ...identitySettings("AzureWebJobsStorage"),
      AzureFunctionsWebHost__hostid: args.hostId,
      EventHubConnection__fullyQualifiedNamespace: args.eventHubsNamespace,
      ...identitySettings("EventHubConnection"),
      ...Object.assign({}, ...(args.identityConnections ?? []).map(identitySettings)),
      APPLICATIONINSIGHTS_CONNECTION_STRING: args.appInsightsConnectionString,
      [FUNCTION_ENV.appInsightsAuthentication]: pulumi.interpolate`ClientId=${clientId};Authorization=AAD`,
      AZURE_CLIENT_ID: clientId,
      ...(trigger
        ? {
            [`${extension}__maxEventBatchSize`]: String(trigger.batchSize),
            [`${extension}__maxWaitTime`]: hms(trigger.batchWindowSeconds),
            [`${extension}__batchCheckpointFrequency`]: "1",
            [`${extension}__initialOffsetOptions__type`]: trigger.initialOffset,
          }
        : {}),
      ...args.settings,
    };
    this.app = new web.WebApp(
      `${name}-app`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        name: args.functionAppName,
        kind: "functionapp,linux",
        serverFarmId: this.plan.id,
        httpsOnly: true,
        clientCertEnabled: false,
        publicNetworkAccess: "Disabled",
        identity: {
          type: "UserAssigned",
          userAssignedIdentities: [this.identity.id],
        },
        functionAppConfig: {
          deployment: {
            storage: {
              type: "blobContainer",
              value: pulumi.interpolate`${args.hostBlobEndpoint}${args.deploymentContainerName}`,
              authentication: {
                type: "UserAssignedIdentity",
                userAssignedIdentityResourceId: this.identity.id,
              },
            },
          },
          runtime: { name: "node", version: "22" },
          scaleAndConcurrency: {
            instanceMemoryMB: args.instanceMemoryMb,
            maximumInstanceCount: args.maxInstances,
          },
        },
        siteConfig: {
          minTlsVersion: "1.2",
          ftpsState: "Disabled",
          http20Enabled: true,
          appSettings: Object.entries(appSettings).map(([name, value]) => ({ name, value })),
        },
      },
      { parent: this, dependsOn: [...roles, packageBlob] },
    );
    this.functionAppName = this.app.name;
    this.registerOutputs({ functionAppName: this.functionAppName });
  }
}
