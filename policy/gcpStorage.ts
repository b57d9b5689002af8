import * as gcp from "@pulumi/gcp";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Cloud Storage buckets are private and customer-key encrypted. */
export const gcpBucketsPrivateAndEncrypted: ResourceValidationPolicy = {
  name: "gcp-bucket-private-cmek",
  description:
    "Cloud Storage buckets enforce public access prevention and uniform bucket-level access, and use a CMEK key.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(gcp.storage.Bucket, (bucket, args, report) => {
    const name = bucket.name ?? args.name;
    if (bucket.publicAccessPrevention !== "enforced")
      report(`bucket "${name}" must set publicAccessPrevention to "enforced"`);
    if (bucket.uniformBucketLevelAccess !== true)
      report(`bucket "${name}" must enable uniform bucket-level access (no object ACLs)`);
    if (!bucket.encryption?.defaultKmsKeyName)
      report(`bucket "${name}" must encrypt with a customer-managed key (encryption.defaultKmsKeyName)`);
  }),
};
