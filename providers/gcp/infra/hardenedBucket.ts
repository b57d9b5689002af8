import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface HardenedBucketArgs {
  /** Bucket names are global: the name is `<namePrefix>-<project>`, cut to 63 characters. */
  namePrefix: pulumi.Input<string>;
  project: pulumi.Input<string>;
  location: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
  lifecycleRules?: pulumi.Input<gcp.types.input.storage.BucketLifecycleRule>[];
}

/**
 * A private bucket: uniform bucket-level access (no ACLs), public access prevention enforced,
 * the stack's CMEK key, versioning, and deletion only when empty. Used for the archive and the
 * functions' source.
 */
export const hardenedBucket = (
  name: string,
  args: HardenedBucketArgs,
  opts: pulumi.CustomResourceOptions,
): gcp.storage.Bucket =>
  new gcp.storage.Bucket(
    name,
    {
      name: pulumi.interpolate`${args.namePrefix}-${args.project}`.apply((n) =>
        n.slice(0, 63).replace(/-+$/, ""),
      ),
      location: args.location,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      encryption: { defaultKmsKeyName: args.kmsKeyName },
      versioning: { enabled: true },
      forceDestroy: false,
      lifecycleRules: args.lifecycleRules ?? [],
    },
    opts,
  );
