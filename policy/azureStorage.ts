import type { ResourceValidationPolicy } from "@pulumi/policy";

/** Azure storage accounts and containers: private, Entra-only, TLS 1.2, double encryption. */
export const azureStoragePrivateAndEncrypted: ResourceValidationPolicy = {
  name: "azure-storage-private-encrypted",
  description:
    "Storage accounts allow no public blob access and no shared keys, require HTTPS with TLS 1.2 and infrastructure encryption; containers are private.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const props = args.props;
    if (args.type === "azure-native:storage:StorageAccount") {
      if (props.allowBlobPublicAccess !== false) report("allowBlobPublicAccess must be false");
      if (props.allowSharedKeyAccess !== false) report("allowSharedKeyAccess must be false (Entra ID only)");
      if (props.enableHttpsTrafficOnly === false) report("enableHttpsTrafficOnly must not be false");
      if (props.minimumTlsVersion !== "TLS1_2") report('minimumTlsVersion must be "TLS1_2"');
      if (props.encryption?.requireInfrastructureEncryption !== true) {
        report("encryption.requireInfrastructureEncryption must be true");
      }
      return;
    }
    if (args.type === "azure-native:storage:BlobContainer") {
      if (props.publicAccess !== undefined && props.publicAccess !== "None") {
        report(`container publicAccess "${props.publicAccess}" makes blobs public`);
      }
      return;
    }
    args.notApplicable("not an Azure storage account or container");
  },
};
