import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isPublicPrincipal, statementsOf } from "./statements";

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const BLOCK_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

/** No bucket grants public access through an ACL, a bucket policy, or an ownership mode that allows ACLs. */
export const noPublicStorageSettings: ResourceValidationPolicy = {
  name: "s3-no-public-settings",
  description:
    "Buckets have no public ACL, no policy allowing everyone, and ACLs disabled (BucketOwnerEnforced).",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const acl = args.asType(aws.s3.BucketAcl) ?? args.asType(aws.s3.Bucket);
    if (acl) {
      if (acl.acl && PUBLIC_ACLS.includes(acl.acl)) report(`ACL "${acl.acl}" makes the bucket public`);
      return;
    }
    const policy = args.asType(aws.s3.BucketPolicy);
    if (policy) {
      for (const statement of statementsOf(policy.policy)) {
        if (statement.Effect === "Allow" && isPublicPrincipal(statement.Principal)) {
          report(`bucket policy statement ${statement.Sid ?? ""} allows everyone`.replace("  ", " "));
        }
      }
      return;
    }
    const ownership = args.asType(aws.s3.BucketOwnershipControls);
    if (ownership) {
      if (ownership.rule?.objectOwnership !== "BucketOwnerEnforced") {
        report('objectOwnership must be "BucketOwnerEnforced" (ACLs disabled)');
      }
      return;
    }
    const block = args.asType(aws.s3.BucketPublicAccessBlock);
    if (block) {
      const off = BLOCK_FLAGS.filter((flag) => block[flag] !== true);
      if (off.length > 0) report(`public access block must set ${off.join(", ")} to true`);
      return;
    }
    args.notApplicable("not an S3 bucket setting");
  },
};

/** Every bucket in the stack has a public access block with all four settings on. */
export const bucketsBlockPublicAccess: StackValidationPolicy = {
  name: "s3-public-access-blocked",
  description: "Every S3 bucket has a public access block with all four settings true.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const blocked = new Set(
      args.resources
        .filter((r) => r.isType(aws.s3.BucketPublicAccessBlock))
        .filter((r) => BLOCK_FLAGS.every((flag) => r.props[flag] === true))
        .map((r) => r.props.bucket as string),
    );
    for (const bucket of args.resources.filter((r) => r.isType(aws.s3.Bucket))) {
      if (!blocked.has(bucket.props.bucket)) {
        report(
          `bucket "${bucket.props.bucket}" has no public access block with all four settings on`,
          bucket.urn,
        );
      }
    }
  },
};
