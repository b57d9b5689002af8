import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, policyJson } from "./iam";

export const ENCRYPTION_KEY_TYPE = "sms:aws:EncryptionKey";

/** Services that encrypt our data at rest with this key on our behalf. */
export const KEY_USER_SERVICES = [
  "sns.amazonaws.com",
  "sqs.amazonaws.com",
  "events.amazonaws.com",
  "s3.amazonaws.com",
  "kinesis.amazonaws.com",
  "dynamodb.amazonaws.com",
  "sms-voice.amazonaws.com",
  "pipes.amazonaws.com",
  "cloudwatch.amazonaws.com",
] as const;

export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
];

export interface EncryptionKeyArgs {
  description?: pulumi.Input<string>;
  /** Days KMS waits before deleting the key once it is scheduled for deletion. */
  deletionWindowInDays?: pulumi.Input<number>;
}

/**
 * The stack's customer-managed KMS key (rotation on). The account root administers it (so IAM
 * policies decide who else may use it); AWS services may use it only for this account, and
 * CloudWatch Logs only for this account's log groups.
 */
export class EncryptionKey extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;
  public readonly alias: aws.kms.Alias;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: EncryptionKeyArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super(ENCRYPTION_KEY_TYPE, name, {}, opts);
    const { accountId, region, partition } = awsContext(this);

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: args.description ?? "SMS campaigns: stream, tables, archive, topics, queues, logs",
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowInDays ?? 30,
        policy: policyJson([
          {
            Sid: "AccountRootAdministers",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
            Action: ["kms:*"],
            Resource: ["*"],
          },
          {
            Sid: "ServicesUseWithinAccount",
            Effect: "Allow",
            Principal: { Service: [...KEY_USER_SERVICES] },
            Action: KEY_USE_ACTIONS,
            Resource: ["*"],
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
          {
            Sid: "LogsUseForOwnLogGroups",
            Effect: "Allow",
            Principal: { Service: pulumi.interpolate`logs.${region}.amazonaws.com` },
            Action: KEY_USE_ACTIONS,
            Resource: ["*"],
            Condition: {
              ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`,
              },
            },
          },
        ]),
      },
      { parent: this },
    );
    this.alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${name}`, targetKeyId: this.key.keyId },
      { parent: this },
    );
    this.arn = this.key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
