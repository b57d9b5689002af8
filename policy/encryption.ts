import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** A customer-managed key reference: an ARN, key id or alias that is not AWS-managed (alias/aws/...). */
const isCustomerKey = (key: string | undefined): boolean => !!key && !key.startsWith("alias/aws/");

/**
 * Everything at rest is encrypted with a customer-managed KMS key: streams, tables, topics,
 * queues, log groups and bucket encryption settings.
 */
export const encryptionAtRest: ResourceValidationPolicy = {
  name: "encryption-at-rest",
  description: "Streams, tables, topics, queues, log groups and buckets use a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const stream = args.asType(aws.kinesis.Stream);
    if (stream) {
      if (stream.encryptionType !== "KMS" || !isCustomerKey(stream.kmsKeyId)) {
        report("stream must use KMS encryption with a customer-managed key");
      }
      return;
    }
    const table = args.asType(aws.dynamodb.Table);
    if (table) {
      if (!table.serverSideEncryption?.enabled || !isCustomerKey(table.serverSideEncryption.kmsKeyArn)) {
        report("table must enable server-side encryption with a customer-managed kmsKeyArn");
      }
      return;
    }
    const topic = args.asType(aws.sns.Topic);
    if (topic) {
      if (!isCustomerKey(topic.kmsMasterKeyId))
        report("topic must set kmsMasterKeyId to a customer-managed key");
      return;
    }
    const queue = args.asType(aws.sqs.Queue);
    if (queue) {
      if (!isCustomerKey(queue.kmsMasterKeyId))
        report("queue must set kmsMasterKeyId to a customer-managed key");
      return;
    }
    const logGroup = args.asType(aws.cloudwatch.LogGroup);
    if (logGroup) {
      if (!isCustomerKey(logGroup.kmsKeyId)) report("log group must set kmsKeyId to a customer-managed key");
      return;
    }
    const bucketEncryption = args.asType(aws.s3.BucketServerSideEncryptionConfiguration);
    if (bucketEncryption) {
      const rules = bucketEncryption.rules ?? [];
      const kms = rules.some(
        (rule) =>
          rule.applyServerSideEncryptionByDefault?.sseAlgorithm === "aws:kms" &&
          isCustomerKey(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId),
      );
      if (!kms) report('bucket encryption must default to "aws:kms" with a customer-managed key');
      return;
    }
    const key = args.asType(aws.kms.Key);
    if (key) {
      if (key.enableKeyRotation !== true) report("KMS key must enable automatic rotation");
      return;
    }
    args.notApplicable("not a resource that stores data");
  },
};

/** Every bucket in the stack has a default-encryption configuration (checked by encryption-at-rest). */
export const bucketsEncrypted: StackValidationPolicy = {
  name: "s3-buckets-encrypted",
  description: "Every S3 bucket has a server-side encryption configuration.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const encrypted = new Set(
      args.resources
        .filter((r) => r.isType(aws.s3.BucketServerSideEncryptionConfiguration))
        .map((r) => r.props.bucket as string),
    );
    for (const bucket of args.resources.filter((r) => r.isType(aws.s3.Bucket))) {
      if (!encrypted.has(bucket.props.bucket)) {
        report(`bucket "${bucket.props.bucket}" has no server-side encryption configuration`, bucket.urn);
      }
    }
  },
};
