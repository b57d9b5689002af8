/**
 * Creates, in the local emulators, the resources the AWS stack would: the stream (shards and
 * retention from config), the DynamoDB tables (the same key design and TTL), the archive bucket,
 * the SNS topics (with a queue reading the notifications) and the dead-letter queue, all named from the stack config.
 */
import { CreateTableCommand, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
} from "@aws-sdk/client-kinesis";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { AwsStackConfig } from "../../aws/infra/config";
import { createTableInput, ttlInputOf } from "../../aws/runtime/table-input";
import { TABLES, type TableId } from "../../aws/runtime/tables";
import type { EmulatorClients as AwsClients } from "../emulators/clients";
import { ensureQueue, subscribeQueue } from "../emulators/provision";

export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT = "000000000000";

export interface LocalResources {
  streamName: string;
  streamArn: string;
  shardCount: number;
  /** Absent when no DynamoDB emulator runs (the in-memory stores stand in). */
  tables?: Record<TableId, string>;
  bucket: string;
  topics: { notifications: string; alarms: string; inbound: string };
  /** A queue subscribed to the notification topic, standing in for its subscribers: the run counts what arrived. */
  notificationsQueueUrl: string;
  deadLetterQueueUrl: string;
  deadLetterQueueArn: string;
}

/** Physical table names as the stack derives them from `names` in config. */
export const tableNamesOf = (config: AwsStackConfig): Record<TableId, string> => ({
  responses: config.names.responsesTable,
  optOuts: config.names.optOutsTable,
  ledger: config.names.sendLedgerTable,
  journeys: config.names.journeysTable,
  messages: config.names.messageLogTable,
  subscribers: config.names.subscribersTable,
  campaigns: config.names.campaignsTable,
  pendingReceipts: config.names.pendingReceiptsTable,
  optOutReviews: config.names.optOutReviewsTable,
  consentLog: config.names.consentLogTable,
  revocations: config.names.revocationClocksTable,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Shards the stack would create: on-demand streams start with 4. */
export const stackShardsOf = (config: AwsStackConfig) =>
  config.streamMode === "on-demand" ? 4 : config.shardCount;

async function createStream(
  clients: AwsClients,
  config: AwsStackConfig,
  shards: number,
): Promise<{ arn: string; shards: number }> {
  const name = config.names.stream;
  await clients.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (let attempt = 0; ; attempt++) {
    const { StreamDescriptionSummary: summary } = await clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (summary?.StreamStatus === "ACTIVE") {
      if (config.streamRetentionHours > (summary.RetentionPeriodHours ?? 24)) {
        await clients.kinesis.send(
          new IncreaseStreamRetentionPeriodCommand({
            StreamName: name,
            RetentionPeriodHours: config.streamRetentionHours,
          }),
        );
      }
      return {
        arn: summary.StreamARN ?? `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${name}`,
        shards,
      };
    }
    if (attempt > 100) throw new Error(`stream ${name} did not become ACTIVE`);
    await sleep(100);
  }
}

async function createTables(clients: AwsClients, names: Record<TableId, string>): Promise<void> {
  await Promise.all(
    (Object.keys(TABLES) as TableId[]).map(async (id) => {
      await clients.dynamodb.send(new CreateTableCommand(createTableInput(TABLES[id], names[id])));
      const ttl = ttlInputOf(TABLES[id], names[id]);
      if (ttl) await clients.dynamodb.send(new UpdateTimeToLiveCommand(ttl));
    }),
  );
}

export async function createLocalResources(
  clients: AwsClients,
  config: AwsStackConfig,
  options: { dynamodb: boolean; shards?: number },
): Promise<LocalResources> {
  // The deployed bucket gets a random suffix from bucketPrefix; locally a fixed one keeps runs comparable.
  const bucket = `${config.names.archiveBucketPrefix}-local`;
  const topic = async (name: string) =>
    (await clients.sns.send(new CreateTopicCommand({ Name: name }))).TopicArn ??
    `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
  const [stream, , , notifications, alarms, inbound, queue] = await Promise.all([
    createStream(clients, config, options.shards ?? stackShardsOf(config)),
    options.dynamodb ? createTables(clients, tableNamesOf(config)) : Promise.resolve(),
    clients.s3.send(new CreateBucketCommand({ Bucket: bucket })),
    topic(config.names.notificationTopic),
    topic(config.names.alarmTopic),
    topic(config.names.inboundTopic),
    clients.sqs.send(new CreateQueueCommand({ QueueName: config.names.deadLetterQueue })),
  ]);
  const deadLetterQueueUrl = queue.QueueUrl!;
  const notified = await ensureQueue(clients.sqs, `${config.names.notificationTopic}-local-reader`);
  await subscribeQueue(clients.sns, notifications, notified.arn);
  const attributes = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ["QueueArn"] }),
  );
  return {
    streamName: config.names.stream,
    streamArn: stream.arn,
    shardCount: stream.shards,
    ...(options.dynamodb ? { tables: tableNamesOf(config) } : {}),
    bucket,
    topics: { notifications, alarms, inbound },
    notificationsQueueUrl: notified.url,
    deadLetterQueueUrl,
    deadLetterQueueArn:
      attributes.Attributes?.QueueArn ??
      `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${config.names.deadLetterQueue}`,
  };
}
