import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** AWS-managed Kinesis key: encryption, but not under our key policy or rotation. */
const AWS_MANAGED_KINESIS_KEY = "alias/aws/kinesis";

/**
 * Kinesis streams keep events long enough to replay (default one year, the design's promise)
 * and are encrypted with a customer-managed KMS key.
 */
export const streamRetentionAndEncryption: ResourceValidationPolicy = {
  name: "kinesis-stream-retention-and-encryption",
  description:
    "Kinesis streams keep events for the configured minimum and are KMS-encrypted with a customer key.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { minimumRetentionHours: { type: "integer", default: 8760, minimum: 24, maximum: 8760 } },
  },
  validateResource: validateResourceOfType(aws.kinesis.Stream, (stream, args, report) => {
    const { minimumRetentionHours } = args.getConfig<{ minimumRetentionHours: number }>();
    const retention = stream.retentionPeriod ?? 24;
    if (retention < minimumRetentionHours) {
      report(`retention is ${retention} h; it must be at least ${minimumRetentionHours} h`);
    }
    if (stream.encryptionType !== "KMS") report('encryptionType must be "KMS"');
    else if (!stream.kmsKeyId || stream.kmsKeyId === AWS_MANAGED_KINESIS_KEY) {
      report("kmsKeyId must be a customer-managed KMS key, not the AWS-managed alias/aws/kinesis");
    }
  }),
};
