import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { hardenedAccountArgs } from "./storageAccount";

export const FUNCTION_STORAGE_TYPE = "sms:azure:FunctionStorage";

export interface FunctionStorageArgs {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  accountName: pulumi.Input<string>;
  /** One deployment container per function app (Flex Consumption reads its package from it). */
  deploymentContainers: readonly string[];
}

/**
 * The Functions host's own storage (AzureWebJobsStorage: Event Hubs checkpoints and leases, and the
 * deployment packages), apart from the archive so the archive's lifecycle never touches them.
 * Same hardening as the archive: no public access, Entra ID only, TLS 1.2, double encryption.
 */
export class FunctionStorage extends pulumi.ComponentResource {
  public readonly account: storage.StorageAccount;
  public readonly containers: Record<string, storage.BlobContainer>;
  public readonly blobEndpoint: pulumi.Output<string>;

  constructor(name: string, args: FunctionStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(FUNCTION_STORAGE_TYPE, name, {}, opts);
    const child = { parent: this };
    this.account = new storage.StorageAccount(
      `${name}-account`,
      hardenedAccountArgs(args.resourceGroupName, args.accountName, args.location),
      child,
    );
    this.containers = Object.fromEntries(
      args.deploymentContainers.map((container) => [
        container,
        new storage.BlobContainer(
          `${name}-${container}`,
          {
            resourceGroupName: args.resourceGroupName,
            accountName: this.account.name,
            containerName: container,
            publicAccess: "None",
          },
          child,
        ),
      ]),
    );
    this.blobEndpoint = pulumi.interpolate`https://${this.account.name}.blob.core.windows.net/`;
    this.registerOutputs({ accountName: this.account.name });
  }
}
