import type * as storage from "@pulumi/azure-native/storage";
import type * as pulumi from "@pulumi/pulumi";

/**
 * The settings every storage account of the stack shares: no public blob access, no shared keys
 * (Entra ID only), HTTPS with TLS 1.2, and infrastructure (double) encryption with Microsoft keys.
 */
export const hardenedAccountArgs = (
  resourceGroupName: pulumi.Input<string>,
  accountName: pulumi.Input<string>,
  location?: pulumi.Input<string>,
): storage.StorageAccountArgs => ({
  resourceGroupName,
  accountName,
  ...(location ? { location } : {}),
  kind: "StorageV2",
  sku: { name: "Standard_ZRS" },
  accessTier: "Hot",
  allowBlobPublicAccess: false,
  allowSharedKeyAccess: false,
  defaultToOAuthAuthentication: true,
  enableHttpsTrafficOnly: true,
  minimumTlsVersion: "TLS1_2",
  allowCrossTenantReplication: false,
  encryption: {
    keySource: "Microsoft.Storage",
    requireInfrastructureEncryption: true,
    services: {
      blob: { enabled: true, keyType: "Account" },
      file: { enabled: true, keyType: "Account" },
      queue: { enabled: true, keyType: "Account" },
      table: { enabled: true, keyType: "Account" },
    },
  },
});
