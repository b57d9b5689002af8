import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import {
  CreateStreamCommand,
  IncreaseStreamRetentionPeriodCommand,
  type KinesisClient,
  ResourceInUseException as StreamInUseException,
  waitUntilStreamExists,
} from "@aws-sdk/client-kinesis";
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createTableInput, ttlInputOf } from "../../aws/runtime/table-input";
import { TABLES, type TableId } from "../../aws/runtime/tables";

/**
 * Creates the resources the AWS adapters expect, on the emulators, with the same key design and
 * retention as the deployed stack. Every function is idempotent: existing resources are kept.
 */

const WAIT = { maxWaitTime: 60, minDelay: 0.2, maxDelay: 1 };

/** One table per design (or the ones named), on-demand, with TTL where the design has one. */
export const ensureTables = async (
  dynamodb: DynamoDBClient,
  names: Partial<Record<TableId, string>>,
): Promise<void> => {
  await Promise.all(
    Object.entries(names).map(async ([id, tableName]) => {
      if (!tableName) return;
      const design = TABLES[id as TableId];
      try {
        await dynamodb.send(new CreateTableCommand(createTableInput(design, tableName)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        return;
      }
      await waitUntilTableExists({ client: dynamodb, ...WAIT }, { TableName: tableName });
      const ttl = ttlInputOf(design, tableName);
      if (ttl) await dynamodb.send(new UpdateTimeToLiveCommand(ttl));
    }),
  );
};

/** A stream with `shards` shards and the deployed 8760-hour (365-day) retention. */
export const ensureStream = async (
  kinesis: KinesisClient,
  streamName: string,
  options: { shards?: number; retentionHours?: number } = {},
): Promise<void> => {
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: options.shards ?? 1 }));
  } catch (error) {
    if (!(error instanceof StreamInUseException)) throw error;
    return;
  }
  await waitUntilStreamExists({ client: kinesis, ...WAIT }, { StreamName: streamName });
  await kinesis.send(
    new IncreaseStreamRetentionPeriodCommand({
      StreamName: streamName,
      RetentionPeriodHours: options.retentionHours ?? 8760,
    }),
  );
  await waitUntilStreamExists({ client: kinesis, ...WAIT }, { StreamName: streamName });
};

export const ensureBucket = async (s3: S3Client, bucket: string): Promise<void> => {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (!(error instanceof BucketAlreadyOwnedByYou) && name !== "BucketAlreadyExists") throw error;
  }
};

/** Returns the topic ARN (CreateTopic is idempotent by name). */
export const ensureTopic = async (sns: SNSClient, name: string): Promise<string> => {
  const fifo = name.endsWith(".fifo");
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: name, ...(fifo ? { Attributes: { FifoTopic: "true" } } : {}) }),
  );
  if (!TopicArn) throw new Error(`CreateTopic returned no ARN for ${name}`);
  return TopicArn;
};

/** Returns the queue URL and ARN (CreateQueue is idempotent by name and attributes). */
export const ensureQueue = async (sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> => {
  const fifo = name.endsWith(".fifo");
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, ...(fifo ? { Attributes: { FifoQueue: "true" } } : {}) }),
  );
  if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${name}`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? "" };
};

/** Subscribes a queue to a topic (SNS delivers its JSON envelope, with message attributes). */
export const subscribeQueue = async (sns: SNSClient, topicArn: string, queueArn: string): Promise<void> => {
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn }));
};
