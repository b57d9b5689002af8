import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { ARCHIVE_PREFIX } from "../../../core/processing/archive";
import { hardenedAccountArgs } from "./storageAccount";

export const EVENT_ARCHIVE_TYPE = "sms:azure:EventArchive";

/** Where the archive consumer writes Parquet (`events/dt=YYYY-MM-DD/...`), as core names it. */
export const ARCHIVE_EVENTS_PREFIX = ARCHIVE_PREFIX;
/** The container Event Grid dead-letters undeliverable SMS events into. */
export const EVENT_GRID_DEAD_LETTER_CONTAINER = "eventgrid-dead-letters";
/** Where Event Hubs Capture writes Avro, when enabled. */
export const CAPTURE_PREFIX = "capture/";

export interface EventArchiveArgs {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  accountName: pulumi.Input<string>;
  containerName: pulumi.Input<string>;
  coolAfterDays: number;
  coldAfterDays: number;
  /** At least 365, or "never". */
  expirationDays: number | "never";
}

/**
 * The archive: a hardened storage account with blob versioning and soft delete, one private
 * container, and a lifecycle policy (Cool, then Archive, then delete after a year or more).
 * Synapse serverless SQL reads the Parquet with OPENROWSET over `events/dt=*`.
 */
export class EventArchive extends pulumi.ComponentResource {
  public readonly account: storage.StorageAccount;
  public readonly container: storage.BlobContainer;
  /** Events Event Grid could not deliver to the hub (kept: the lifecycle rule does not cover it). */
  public readonly deadLetterContainer: storage.BlobContainer;
  public readonly lifecycle: storage.ManagementPolicy;
  public readonly blobEndpoint: pulumi.Output<string>;

  constructor(name: string, args: EventArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EVENT_ARCHIVE_TYPE, name, {}, opts);
    const child = { parent: this };
    this.account = new storage.StorageAccount(
      `${name}-account`,
      hardenedAccountArgs(args.resourceGroupName, args.accountName, args.location),
      child,
    );
    const blobService = new storage.BlobServiceProperties(
      `${name}-blob-service`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: this.account.name,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: 30 },
        containerDeleteRetentionPolicy: { enabled: true, days: 30 },
      },
      child,
    );
    this.container = new storage.BlobContainer(
      `${name}-container`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: this.account.name,
        containerName: args.containerName,
        publicAccess: "None",
      },
      { parent: this, dependsOn: [blobService] },
    );
    this.deadLetterContainer = new storage.BlobContainer(
      `${name}-dead-letters`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: this.account.name,
        containerName: EVENT_GRID_DEAD_LETTER_CONTAINER,
        publicAccess: "None",
      },
      { parent: this, dependsOn: [blobService] },
    );
    const expiry =
      args.expirationDays === "never"
        ? {}
        : { delete: { daysAfterModificationGreaterThan: args.expirationDays } };
    this.lifecycle = new storage.ManagementPolicy(
      `${name}-lifecycle`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: this.account.name,
        managementPolicyName: "default",
        policy: {
          rules: [
            {
              name: "archive-tiering",
              enabled: true,
              type: "Lifecycle",
              definition: {
                filters: {
                  blobTypes: ["blockBlob"],
                  prefixMatch: [
                    pulumi.interpolate`${args.containerName}/${ARCHIVE_EVENTS_PREFIX}`,
                    pulumi.interpolate`${args.containerName}/${CAPTURE_PREFIX}`,
                  ],
                },
                actions: {
                  baseBlob: {
                    tierToCool: { daysAfterModificationGreaterThan: args.coolAfterDays },
                    tierToArchive: { daysAfterModificationGreaterThan: args.coldAfterDays },
                    ...expiry,
                  },
                  version: { delete: { daysAfterCreationGreaterThan: 30 } },
                },
              },
            },
          ],
        },
      },
      child,
    );
    this.blobEndpoint = pulumi.interpolate`https://${this.account.name}.blob.core.windows.net/`;
    this.registerOutputs({ blobEndpoint: this.blobEndpoint, containerName: this.container.name });
  }
}
