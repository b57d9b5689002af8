import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { MetricDatum, MetricUnit, StreamRecord } from "../../core/ports";

/** Every message currently in a queue (received and deleted), as bodies with their attributes. */
export const drainQueue = async (
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ body: string; attributes: Record<string, string> }[]> => {
  const messages: { body: string; attributes: Record<string, string> }[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: messages.length === 0 ? 1 : 0,
        MessageAttributeNames: ["All"],
      }),
    );
    if (!Messages?.length) return messages;
    for (const m of Messages) {
      const attributes = Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]),
      );
      messages.push({ body: m.Body ?? "", attributes });
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
};

/** Every record in a stream, from the start of each shard. */
export const readStream = async (kinesis: KinesisClient, streamName: string): Promise<StreamRecord[]> => {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: StreamRecord[] = [];
  for (const shard of Shards ?? []) {
    let { ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    // Empty pages can precede data; stop once a page is empty and the shard is caught up.
    for (let pages = 0; iterator && pages < 50; pages++) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const r of page.Records ?? []) {
        records.push({ partitionKey: r.PartitionKey ?? "", data: r.Data ?? new Uint8Array() });
      }
      if (!page.Records?.length && page.MillisBehindLatest === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
};

interface EmfBlob {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** The datums of one EMF line, as CloudWatch would extract them. */
export const parseEmf = (line: string): MetricDatum[] => {
  const blob = JSON.parse(line) as EmfBlob;
  return blob._aws.CloudWatchMetrics.flatMap((directive) => {
    const names = directive.Dimensions[0] ?? [];
    const dimensions = Object.fromEntries(names.map((name) => [name, String(blob[name])]));
    return directive.Metrics.flatMap((metric) => {
      const raw = blob[metric.Name];
      return (Array.isArray(raw) ? raw : [raw]).map((value) => ({
        name: metric.Name,
        value: Number(value),
        unit: metric.Unit as MetricUnit,
        dimensions,
        timestamp: new Date(blob._aws.Timestamp).toISOString(),
      }));
    });
  });
};

/** EMF lines in captured stdout text (other lines, such as logs, are ignored). */
export const emfLinesOf = (output: string): string[] =>
  output.split("\n").filter((line) => line.startsWith("{") && line.includes('"_aws"'));
