import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "./iam";

/**
 * The hardening every bucket of the stack gets, as children of `parent` named after `name`:
 * public access blocked, ACLs off (BucketOwnerEnforced), SSE-KMS with the stack key and a bucket
 * key, versioning, and a policy that denies any request not over TLS.
 */
export function securePrivateBucket(
  name: string,
  bucket: aws.s3.Bucket,
  kmsKeyArn: pulumi.Input<string>,
  parent: pulumi.Resource,
): { publicAccessBlock: aws.s3.BucketPublicAccessBlock; versioning: aws.s3.BucketVersioning } {
  const child = { parent };
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access-block`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    child,
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    child,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn },
          bucketKeyEnabled: true,
        },
      ],
    },
    child,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    child,
  );
  new aws.s3.BucketPolicy(
    `${name}-tls-only`,
    {
      bucket: bucket.id,
      policy: policyJson([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: ["s3:*"],
          Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    },
    { parent, dependsOn: [publicAccessBlock] },
  );
  return { publicAccessBlock, versioning };
}
