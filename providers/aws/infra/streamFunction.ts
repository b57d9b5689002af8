import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, awsContext, createServiceRole, type Statement, XRAY_WRITE_ACTIONS } from "./iam";

export const STREAM_FUNCTION_TYPE = "sms:aws:StreamFunction";

/** What a Kinesis consumer's event source mapping needs to read the stream. */
export const KINESIS_READ_ACTIONS = [
  "kinesis:DescribeStream",
  "kinesis:DescribeStreamSummary",
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:ListShards",
];

export interface StreamFunctionArgs {
  /** The bundled handler: an archive with `index.mjs` exporting `handler`. */
  code: pulumi.Input<pulumi.asset.Archive>;
  /** Layers the bundle expects at run time (Powertools: its packages are external to the bundle). */
  layers: pulumi.Input<string>[];
  description: pulumi.Input<string>;
  logGroupName: pulumi.Input<string>;
  architecture: pulumi.Input<"arm64" | "x86_64">;
  memoryMb: pulumi.Input<number>;
  timeoutSeconds: pulumi.Input<number>;
  xrayTracing: boolean;
  logRetentionDays: pulumi.Input<number>;
  logLevel: pulumi.Input<string>;
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** What this function may do beyond reading the stream, logging and dead-lettering. */
  permissions: Statement[];
  streamArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  deadLetterQueueArn: pulumi.Input<string>;
  batchSize: pulumi.Input<number>;
  batchWindowSeconds: pulumi.Input<number>;
  maximumRetryAttempts: pulumi.Input<number>;
  maximumRecordAgeSeconds: pulumi.Input<number>;
  startingPosition: pulumi.Input<"TRIM_HORIZON" | "LATEST">;
}

/**
 * One stream consumer: a Lambda function (Node.js 22, X-Ray), its own KMS-encrypted log group,
 * a least-privilege role, and a Kinesis event source mapping that reports per-record failures,
 * bisects failing batches, retries a bounded number of times and sends the rest to the DLQ.
 */
export class StreamFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly role: aws.iam.Role;
  public readonly eventSourceMapping: aws.lambda.EventSourceMapping;
  public readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: StreamFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(STREAM_FUNCTION_TYPE, name, {}, opts);
    const { accountId } = awsContext(this);

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: args.logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      { parent: this },
    );
    const access = createServiceRole(
      name,
      "lambda.amazonaws.com",
      accountId,
      [
        allow(["logs:CreateLogStream", "logs:PutLogEvents"], [pulumi.interpolate`${this.logGroup.arn}:*`]),
        allow(KINESIS_READ_ACTIONS, [args.streamArn]),
        allow(["kms:Decrypt", "kms:GenerateDataKey"], [args.kmsKeyArn]),
        allow(["sqs:SendMessage"], [args.deadLetterQueueArn]),
        ...(args.xrayTracing
          ? [allow([...XRAY_WRITE_ACTIONS], ["*"], "XRayWriteHasNoResourceLevelPermissions")]
          : []),
        ...args.permissions,
      ],
      this,
    );
    this.role = access.role;

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        description: args.description,
        runtime: "nodejs22.x",
        handler: "index.handler",
        code: args.code,
        layers: args.layers,
        architectures: [args.architecture],
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        role: this.role.arn,
        kmsKeyArn: args.kmsKeyArn,
        tracingConfig: { mode: args.xrayTracing ? "Active" : "PassThrough" },
        loggingConfig: {
          logFormat: "JSON",
          logGroup: this.logGroup.name,
          applicationLogLevel: args.logLevel,
        },
        environment: {
          variables: pulumi
            .output(args.environment)
            .apply((variables) => ({ ...variables, NODE_OPTIONS: "--enable-source-maps" })),
        },
      },
      { parent: this, dependsOn: [access.policy, this.logGroup] },
    );
    this.functionName = this.function.name;

    this.eventSourceMapping = new aws.lambda.EventSourceMapping(
      `${name}-stream-mapping`,
      {
        eventSourceArn: args.streamArn,
        functionName: this.function.arn,
        startingPosition: args.startingPosition,
        batchSize: args.batchSize,
        maximumBatchingWindowInSeconds: args.batchWindowSeconds,
        functionResponseTypes: ["ReportBatchItemFailures"],
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: args.maximumRetryAttempts,
        maximumRecordAgeInSeconds: args.maximumRecordAgeSeconds,
        destinationConfig: { onFailure: { destinationArn: args.deadLetterQueueArn } },
      },
      { parent: this, dependsOn: [access.policy] },
    );
    this.registerOutputs({ functionName: this.functionName, functionArn: this.function.arn });
  }
}
