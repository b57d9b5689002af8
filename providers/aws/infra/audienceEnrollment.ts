import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CAMPAIGN_PREFIX } from "../../../core/campaign/campaign";
import { DeadLetterQueue } from "./deadLetterQueue";
import { ENROLLMENT_ENV } from "./environment";
import { allow, awsContext } from "./iam";
import { TaskFunction, type TaskFunctionArgs } from "./taskFunction";

export const AUDIENCE_ENROLLMENT_TYPE = "sms:aws:AudienceEnrollment";

/** The actions the chunk queue's event source mapping needs. */
export const SQS_CONSUME_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:ChangeMessageVisibility",
];

/** Receives of one chunk before SQS moves it to the chunk dead-letter queue. */
export const CHUNK_MAX_RECEIVES = 3;
/** Retries Lambda makes of a failed upload event before it goes to the chunk dead-letter queue. */
export const UPLOAD_RETRY_ATTEMPTS = 2;

/** AWS's advice for a queue feeding Lambda: visibility at least six times the function timeout. */
export const chunkVisibilitySeconds = (timeoutSeconds: number) => Math.min(43_200, timeoutSeconds * 6);

export interface AudienceEnrollmentArgs {
  function: Omit<TaskFunctionArgs, "permissions" | "environment" | "timeoutSeconds">;
  /** What the function may do in the stores; reading the audience and using the queue are added here. */
  permissions: TaskFunctionArgs["permissions"];
  /** Every variable but the chunk queue's URL, which this component adds. */
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Timeout as a plain number: the chunk queue's visibility timeout is derived from it. */
  timeoutSeconds: number;
  audienceBucketName: pulumi.Input<string>;
  audienceBucketArn: pulumi.Input<string>;
  chunkQueueName: pulumi.Input<string>;
  chunkDeadLetterQueueName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
}

/**
 * The enrollment function and its triggers: the audience bucket's ObjectCreated notification for
 * `campaigns/*.csv` starts it; each invocation enrolls one bounded chunk and queues the next on the
 * chunk queue (KMS, bounded receives, then its own dead-letter queue), which the same function
 * consumes one message at a time. An upload event that keeps failing goes to that dead-letter queue too.
 */
export class AudienceEnrollment extends pulumi.ComponentResource {
  public readonly function: TaskFunction;
  public readonly chunkQueue: aws.sqs.Queue;
  public readonly deadLetterQueue: DeadLetterQueue;
  public readonly queueMapping: aws.lambda.EventSourceMapping;
  public readonly notification: aws.s3.BucketNotification;

  constructor(name: string, args: AudienceEnrollmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AUDIENCE_ENROLLMENT_TYPE, name, {}, opts);
    const child = { parent: this };
    const { accountId } = awsContext(this);

    this.deadLetterQueue = new DeadLetterQueue(
      `${name}-dlq`,
      { queueName: args.chunkDeadLetterQueueName, kmsKeyArn: args.kmsKeyArn },
      child,
    );
    this.chunkQueue = new aws.sqs.Queue(
      `${name}-chunks`,
      {
        name: args.chunkQueueName,
        kmsMasterKeyId: args.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        visibilityTimeoutSeconds: chunkVisibilitySeconds(args.timeoutSeconds),
        redrivePolicy: pulumi.jsonStringify({
          deadLetterTargetArn: this.deadLetterQueue.arn,
          maxReceiveCount: CHUNK_MAX_RECEIVES,
        }),
      },
      child,
    );

    this.function = new TaskFunction(
      `${name}-function`,
      {
        ...args.function,
        timeoutSeconds: args.timeoutSeconds,
        environment: pulumi
          .all([args.environment, this.chunkQueue.url])
          .apply(([variables, url]) => ({ ...variables, [ENROLLMENT_ENV.chunkQueueUrl]: url })),
        permissions: [
          allow(["s3:GetObject"], [pulumi.interpolate`${args.audienceBucketArn}/${CAMPAIGN_PREFIX}*`]),
          allow(["sqs:SendMessage", ...SQS_CONSUME_ACTIONS], [this.chunkQueue.arn]),
          // Where Lambda sends an upload event it gave up on.
          allow(["sqs:SendMessage"], [this.deadLetterQueue.arn]),
          ...args.permissions,
        ],
      },
      child,
    );
    const invokeConfig = new aws.lambda.FunctionEventInvokeConfig(
      `${name}-upload-retries`,
      {
        functionName: this.function.functionName,
        maximumRetryAttempts: UPLOAD_RETRY_ATTEMPTS,
        maximumEventAgeInSeconds: 3600,
        destinationConfig: { onFailure: { destination: this.deadLetterQueue.arn } },
      },
      { parent: this, dependsOn: [this.function.policy] },
    );
    this.queueMapping = new aws.lambda.EventSourceMapping(
      `${name}-chunk-mapping`,
      {
        eventSourceArn: this.chunkQueue.arn,
        functionName: this.function.arn,
        // One chunk per invocation: each already fills most of the function's time.
        batchSize: 1,
      },
      { parent: this, dependsOn: [this.function.policy] },
    );
    const permission = new aws.lambda.Permission(
      `${name}-s3-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: this.function.functionName,
        principal: "s3.amazonaws.com",
        sourceArn: args.audienceBucketArn,
        sourceAccount: accountId,
      },
      child,
    );
    this.notification = new aws.s3.BucketNotification(
      `${name}-uploads`,
      {
        bucket: args.audienceBucketName,
        lambdaFunctions: [
          {
            lambdaFunctionArn: this.function.arn,
            events: ["s3:ObjectCreated:*"],
            filterPrefix: CAMPAIGN_PREFIX,
            filterSuffix: ".csv",
          },
        ],
      },
      { parent: this, dependsOn: [permission, invokeConfig] },
    );
    this.registerOutputs({ functionName: this.function.functionName, chunkQueueUrl: this.chunkQueue.url });
  }
}
