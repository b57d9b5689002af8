import * as eventhub from "@pulumi/azure-native/eventhub";
import * as pulumi from "@pulumi/pulumi";
import { type EventHubsTier, eventHubRetentionHours } from "./config";
import { assignRoles } from "./roles";

export const EVENT_STREAM_TYPE = "sms:azure:EventStream";

export interface EventStreamArgs {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  namespaceName: pulumi.Input<string>;
  hubName: pulumi.Input<string>;
  tier: EventHubsTier;
  capacity: pulumi.Input<number>;
  partitionCount: pulumi.Input<number>;
  /** The shared config's retention; clamped to the tier's maximum (7 days Standard, 90 Premium). */
  retentionHours: number;
  /** One consumer group per consumer, so each keeps its own checkpoints. */
  consumerGroups: readonly string[];
  /** Capture into this storage account's container, when set. */
  capture?: {
    storageAccountId: pulumi.Input<string>;
    containerName: pulumi.Input<string>;
    /** The container's resource id: the namespace's identity may write there and nowhere else. */
    containerId: pulumi.Input<string>;
  };
}

/**
 * The event stream: an Event Hubs namespace (Entra ID only, TLS 1.2), one hub with the tier's
 * retention, and a consumer group per consumer.
 */
export class EventStream extends pulumi.ComponentResource {
  public readonly namespace: eventhub.Namespace;
  public readonly hub: eventhub.EventHub;
  public readonly consumerGroups: Record<string, eventhub.ConsumerGroup>;
  /** `<namespace>.servicebus.windows.net`: what identity-based clients connect to. */
  public readonly fullyQualifiedNamespace: pulumi.Output<string>;

  constructor(name: string, args: EventStreamArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EVENT_STREAM_TYPE, name, {}, opts);
    const child = { parent: this };
    this.namespace = new eventhub.Namespace(
      `${name}-namespace`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: args.namespaceName,
        ...(args.location ? { location: args.location } : {}),
        sku: { name: args.tier, tier: args.tier, capacity: args.capacity },
        disableLocalAuth: true,
        minimumTlsVersion: "1.2",
        // Capture writes with the namespace's identity: the archive account takes no shared keys.
        ...(args.capture ? { identity: { type: "SystemAssigned" } } : {}),
        ...(args.tier === "Standard" ? { isAutoInflateEnabled: false } : {}),
      },
      child,
    );
    const captureRoles = args.capture
      ? assignRoles(
          `${name}-capture`,
          this.namespace.identity.apply((identity) => identity?.principalId ?? ""),
          [{ role: "storageBlobDataContributor", scope: args.capture.containerId }],
          this,
        )
      : [];
    this.hub = new eventhub.EventHub(
      `${name}-hub`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: this.namespace.name,
        eventHubName: args.hubName,
        partitionCount: args.partitionCount,
        retentionDescription: {
          cleanupPolicy: "Delete",
          retentionTimeInHours: eventHubRetentionHours(args.retentionHours, args.tier),
        },
        ...(args.capture
          ? {
              captureDescription: {
                enabled: true,
                encoding: "Avro",
                intervalInSeconds: 300,
                sizeLimitInBytes: 314_572_800,
                skipEmptyArchives: true,
                destination: {
                  name: "EventHubArchive.AzureBlockBlob",
                  identity: { type: "SystemAssigned" },
                  storageAccountResourceId: args.capture.storageAccountId,
                  blobContainer: args.capture.containerName,
                  archiveNameFormat:
                    "capture/{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}",
                },
              },
            }
          : {}),
      },
      { parent: this, dependsOn: captureRoles },
    );
    this.consumerGroups = Object.fromEntries(
      args.consumerGroups.map((group) => [
        group,
        new eventhub.ConsumerGroup(
          `${name}-${group}`,
          {
            resourceGroupName: args.resourceGroupName,
            namespaceName: this.namespace.name,
            eventHubName: this.hub.name,
            consumerGroupName: group,
          },
          child,
        ),
      ]),
    );
    this.fullyQualifiedNamespace = pulumi.interpolate`${this.namespace.name}.servicebus.windows.net`;
    this.registerOutputs({ hubId: this.hub.id, fullyQualifiedNamespace: this.fullyQualifiedNamespace });
  }
}
