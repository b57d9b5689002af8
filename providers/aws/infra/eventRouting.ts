import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, awsContext, createServiceRole, policyJson } from "./iam";

export const EVENT_ROUTING_TYPE = "sms:aws:EventRouting";

/** EventBridge pattern for every End User Messaging SMS event (delivery status updates). */
export const SMS_VOICE_EVENT_PATTERN = { source: ["aws.sms-voice"] } as const;
/**
 * Delivery events are ordered per message: every End User Messaging event carries messageId, while
 * the documented EventBridge events carry no destinationPhoneNumber.
 */
export const DELIVERY_PARTITION_KEY_PATH = "$.detail.messageId";
/** Inbound replies are ordered per sender (STOP then START must not swap). */
export const INBOUND_PARTITION_KEY_PATH = "$.body.originationNumber";

export interface EventRoutingArgs {
  streamArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  inboundTopicArn: pulumi.Input<string>;
  inboundQueueName: pulumi.Input<string>;
  /** Inbound messages that cannot reach the stream after retries land here. */
  deadLetterQueueArn: pulumi.Input<string>;
  deadLetterQueueUrl: pulumi.Input<string>;
}

/**
 * Everything into the one stream, with no code of ours in the path:
 * - delivery events: EventBridge rule (source aws.sms-voice) -> Kinesis target;
 * - inbound replies: SNS topic -> SQS queue (raw message delivery) -> EventBridge Pipe -> Kinesis.
 * SNS cannot subscribe a Kinesis data stream directly; the queue also buffers and redrives.
 */
export class EventRouting extends pulumi.ComponentResource {
  public readonly rule: aws.cloudwatch.EventRule;
  public readonly inboundQueue: aws.sqs.Queue;
  public readonly pipe: aws.pipes.Pipe;

  constructor(name: string, args: EventRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EVENT_ROUTING_TYPE, name, {}, opts);
    const { accountId } = awsContext(this);
    const child = { parent: this };
    const putIntoStream = [
      allow(["kinesis:PutRecord", "kinesis:PutRecords"], [args.streamArn]),
      allow(["kms:GenerateDataKey"], [args.kmsKeyArn]),
    ];

    // Delivery events.
    this.rule = new aws.cloudwatch.EventRule(
      `${name}-sms-events`,
      {
        description: "End User Messaging SMS delivery events into the SMS events stream",
        eventPattern: JSON.stringify(SMS_VOICE_EVENT_PATTERN),
      },
      child,
    );
    const ruleAccess = createServiceRole(
      `${name}-rule`,
      "events.amazonaws.com",
      accountId,
      putIntoStream,
      this,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-sms-events-target`,
      {
        rule: this.rule.name,
        arn: args.streamArn,
        roleArn: ruleAccess.role.arn,
        kinesisTarget: { partitionKeyPath: DELIVERY_PARTITION_KEY_PATH },
        retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
        deadLetterConfig: { arn: args.deadLetterQueueArn },
      },
      { parent: this, dependsOn: [ruleAccess.policy] },
    );
    new aws.sqs.QueuePolicy(
      `${name}-dead-letter-policy`,
      {
        queueUrl: args.deadLetterQueueUrl,
        policy: policyJson([
          {
            Sid: "RuleDeadLetters",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["sqs:SendMessage"],
            Resource: [args.deadLetterQueueArn],
            Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn } },
          },
        ]),
      },
      child,
    );

    // Inbound replies.
    this.inboundQueue = new aws.sqs.Queue(
      `${name}-inbound-queue`,
      {
        name: args.inboundQueueName,
        kmsMasterKeyId: args.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        visibilityTimeoutSeconds: 60,
        messageRetentionSeconds: 1_209_600,
        redrivePolicy: pulumi.jsonStringify({
          deadLetterTargetArn: args.deadLetterQueueArn,
          maxReceiveCount: 5,
        }),
      },
      child,
    );
    new aws.sqs.QueuePolicy(
      `${name}-inbound-queue-policy`,
      {
        queueUrl: this.inboundQueue.url,
        policy: policyJson([
          {
            Sid: "InboundTopicDelivers",
            Effect: "Allow",
            Principal: { Service: "sns.amazonaws.com" },
            Action: ["sqs:SendMessage"],
            Resource: [this.inboundQueue.arn],
            Condition: { ArnEquals: { "aws:SourceArn": args.inboundTopicArn } },
          },
        ]),
      },
      child,
    );
    new aws.sns.TopicSubscription(
      `${name}-inbound-subscription`,
      {
        topic: args.inboundTopicArn,
        protocol: "sqs",
        endpoint: this.inboundQueue.arn,
        // The queue body is then the End User Messaging two-way JSON itself.
        rawMessageDelivery: true,
      },
      child,
    );
    const pipeAccess = createServiceRole(
      `${name}-pipe`,
      "pipes.amazonaws.com",
      accountId,
      [
        allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [this.inboundQueue.arn]),
        allow(["kms:Decrypt"], [args.kmsKeyArn]),
        ...putIntoStream,
      ],
      this,
    );
    this.pipe = new aws.pipes.Pipe(
      `${name}-inbound-pipe`,
      {
        description: "Two-way SMS replies into the SMS events stream",
        roleArn: pipeAccess.role.arn,
        source: this.inboundQueue.arn,
        sourceParameters: { sqsQueueParameters: { batchSize: 10, maximumBatchingWindowInSeconds: 1 } },
        target: args.streamArn,
        targetParameters: {
          // The record is the two-way payload exactly as End User Messaging published it.
          inputTemplate: "<$.body>",
          kinesisStreamParameters: { partitionKey: INBOUND_PARTITION_KEY_PATH },
        },
      },
      { parent: this, dependsOn: [pipeAccess.policy] },
    );
    this.registerOutputs({ ruleArn: this.rule.arn, inboundQueueUrl: this.inboundQueue.url });
  }
}
