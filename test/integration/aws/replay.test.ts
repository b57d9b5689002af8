/**
 * `smsctl replay` of a day already processed, run twice, leaves every store as it was: the three
 * AWS functions (analytics, responses, archive) read kinesis-local through the Lambda-like poller
 * and write to DynamoDB Local and fauxqs (S3, SNS -> SQS). The replay goes through runReplay, the
 * CLI's own entry point, from the S3 archive into the stream. Mocked, having no emulator: the SMS
 * sender of the HELP/STOP answers (a recorder) and CloudWatch (the metrics sink records datums).
 */
import { createHash } from "node:crypto";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { runReplay } from "../../../cli/commands/replay";
import { encodeEvent, partitionKeyOf } from "../../../core/events/decode";
import type { SmsEvent } from "../../../core/events/schema";
import type { MetricDatum, MetricsSink } from "../../../core/ports";
import { S3ArchiveStore } from "../../../providers/aws/runtime/archive-store";
import { SystemClock } from "../../../providers/aws/runtime/clock";
import { SqsDeadLetter } from "../../../providers/aws/runtime/dead-letter";
import { KinesisEventPublisher } from "../../../providers/aws/runtime/event-publisher";
import { SnsNotifier } from "../../../providers/aws/runtime/notifier";
import { TABLES, type TableId } from "../../../providers/aws/runtime/tables";
import { buildConsumers } from "../../../providers/local/clouds/aws-consumers";
import { javaAvailable } from "../../../providers/local/emulators";
import {
  ensureBucket,
  ensureQueue,
  ensureStream,
  ensureTables,
  ensureTopic,
  subscribeQueue,
} from "../../../providers/local/emulators/provision";
import { KinesisShardSource } from "../../../providers/local/poller/kinesis-source";
import { EventSourcePoller } from "../../../providers/local/poller/poller";
import { EventSourceMappingSettingsSchema } from "../../../providers/local/poller/settings";
import { SqsOnFailureDestination } from "../../../providers/local/poller/sqs-destination";
import { dynamoDbStores } from "../../../providers/local/run/stores";
import { once, uniqueName, useAwsEmulators } from "../../emulators/aws";
import { drainQueue } from "../../emulators/readers";
import { RecordingSender } from "../../support/recording-sender";
import { replyEvent, smsEvent } from "../../unit/aws/kinesis-events";

const hasJava = javaAvailable();
const fixture = useAwsEmulators({ kinesis: true, fauxqs: true, dynamodb: hasJava });
const clients = () => fixture.clients();

const DAY = "2031-05-06";
const at = (time: string) => `${DAY}T${time}.000Z`;

class RecordingMetrics implements MetricsSink {
  readonly datums: MetricDatum[] = [];
  async emit(datums: MetricDatum[]): Promise<void> {
    this.datums.push(...datums);
  }
}

/** A day of one campaign: sends and their receipts (one without a number), and every kind of reply. */
function seededDay(campaignId: string): SmsEvent[] {
  const numbers = ["+14255550121", "+14255550122", "+14255550123", "+14255550124", "+14255550125"];
  const events: SmsEvent[] = [];
  numbers.forEach((phoneNumber, n) => {
    const messageId = uniqueName(`msg${n}`);
    const subscriberId = `sub-${n}`;
    const sent = { campaignId, messageId, subscriberId, phoneNumber };
    events.push(smsEvent({ kind: "queued", occurredAt: at(`09:00:0${n}`), ...sent }));
    events.push(smsEvent({ kind: "sent", occurredAt: at(`09:00:1${n}`), ...sent }));
    if (n === 4) events.push(smsEvent({ kind: "failed", occurredAt: at("09:01:14"), ...sent }));
    // Receipts may carry only the message id; the consumers complete them from the message log.
    else if (n % 2 === 0)
      events.push(smsEvent({ kind: "delivered", occurredAt: at(`09:01:0${n}`), messageId }));
    else events.push(smsEvent({ kind: "delivered", occurredAt: at(`09:01:0${n}`), ...sent }));
  });
  const reply = (body: string, n: number, time: string) =>
    replyEvent(body, { phoneNumber: numbers[n], occurredAt: at(time) });
  events.push(reply("STOP", 0, "10:00:00"));
  events.push(reply("HELP", 1, "10:00:01"));
  events.push(reply("YES please", 2, "10:00:02"));
  events.push(reply("what time does the sale start?", 3, "10:00:03"));
  return events;
}

/** Every item of a table, canonical JSON with sorted attribute names, sorted. */
async function scanTable(table: string): Promise<string[]> {
  const items: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await clients().dynamodb.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: startKey as never }),
    );
    for (const item of page.Items ?? []) items.push(canonical(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort();
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** Every object of the bucket: key -> sha256 of its bytes. */
async function bucketDigests(bucket: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await clients().s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    for (const { Key } of page.Contents ?? []) {
      const object = await clients().s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      const bytes = await object.Body!.transformToByteArray();
      digests[Key!] = createHash("sha256").update(bytes).digest("hex");
    }
    token = page.NextContinuationToken;
  } while (token);
  return digests;
}

/** Sum of each metric per campaign: what CloudWatch would show for the day. */
const metricCounts = (datums: MetricDatum[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const datum of datums) {
    if (datum.unit !== "Count") continue;
    const key = `${datum.dimensions["campaignId"]}/${datum.name}`;
    counts[key] = (counts[key] ?? 0) + datum.value;
  }
  return counts;
};

/** Processes the day, dumps every store, replays the day twice through the CLI's path, dumps again. */
const replayedTwice = once(async () => {
  const c = clients();
  const tables = Object.fromEntries(
    Object.keys(TABLES).map((id) => [id, uniqueName(id.toLowerCase())]),
  ) as Record<TableId, string>;
  await ensureTables(c.dynamodb, tables);
  const bucket = uniqueName("archive");
  await ensureBucket(c.s3, bucket);
  const dlq = await ensureQueue(c.sqs, uniqueName("dlq"));
  const topicArn = await ensureTopic(c.sns, uniqueName("notifications"));
  const notified = await ensureQueue(c.sqs, uniqueName("notified"));
  await subscribeQueue(c.sns, topicArn, notified.arn);
  const streamName = uniqueName("events");
  await ensureStream(c.kinesis, streamName, { shards: 2 });
  const { StreamDescriptionSummary } = await c.kinesis.send(
    new DescribeStreamSummaryCommand({ StreamName: streamName }),
  );

  const stores = dynamoDbStores(c, tables);
  const sender = new RecordingSender({ idPrefix: "answer" });
  const metrics = new RecordingMetrics();
  const poller = new EventSourcePoller(
    new KinesisShardSource(c.kinesis, streamName, StreamDescriptionSummary!.StreamARN!),
    buildConsumers({
      // Small batches, so the day spans several batches and archive objects.
      settings: EventSourceMappingSettingsSchema.parse({ batchSize: 4, maximumBatchingWindowInSeconds: 0 }),
      onFailure: new SqsOnFailureDestination(c.sqs, dlq.url),
      deadLetter: new SqsDeadLetter(c.sqs, dlq.url),
      metrics,
      archive: new S3ArchiveStore(c.s3, bucket),
      stores,
      notifier: new SnsNotifier(c.sns, topicArn),
      autoReplies: sender,
      responsesSettings: {
        helpText: "Acme: reply STOP to opt out.",
        stopConfirmationText: "You are unsubscribed.",
        patterns: [{ name: "interested", type: "keyword", keyword: "YES" }],
      },
    }),
    { region: "us-east-1", idlePollMs: 50 },
  );
  const publisher = new KinesisEventPublisher(c.kinesis, streamName, new SystemClock());
  const settle = async () => {
    for (const name of ["sms-analytics", "sms-responses", "sms-archive"]) await poller.settle(name);
  };
  const notifications: string[] = [];
  const dump = async () => {
    await settle();
    notifications.push(...(await drainQueue(c.sqs, notified.url)).map((m) => m.body));
    const dynamodb: Record<string, string[]> = {};
    for (const [id, name] of Object.entries(tables)) dynamodb[id] = await scanTable(name);
    return {
      dynamodb,
      archive: await bucketDigests(bucket),
      notifications: [...notifications].sort(),
      answers: sender.requests.map((r) => canonical(r)).sort(),
      metrics: metricCounts(metrics.datums),
      deadLetters: (await drainQueue(c.sqs, dlq.url)).length,
    };
  };

  const campaignId = uniqueName("spring");
  const events = seededDay(campaignId);
  try {
    await poller.start();
    // Sends first, as a campaign does, then the replies.
    const put = async (batch: SmsEvent[]) => {
      const result = await publisher.publish(
        batch.map((e) => ({ partitionKey: partitionKeyOf(e), data: encodeEvent(e) })),
      );
      expect(result.failed).toEqual([]);
      await settle();
    };
    await put(events.filter((e) => e.kind !== "received" && e.kind !== "delivered"));
    await put(events.filter((e) => e.kind === "delivered"));
    await put(events.filter((e) => e.kind === "received"));
    const before = await dump();
    // The day was really processed: the dump would be equal for trivial reasons otherwise.
    expect(before.dynamodb["responses"]).toHaveLength(4);
    expect(before.dynamodb["optOuts"]).toHaveLength(1);
    expect(before.notifications).toHaveLength(1);
    expect(before.answers).toHaveLength(2);
    expect(Object.keys(before.archive).length).toBeGreaterThan(0);
    expect(before.metrics[`${campaignId}/Delivered`]).toBe(4);
    expect(before.deadLetters).toBe(0);

    const replay = () =>
      runReplay(
        { from: DAY, bucket, stream: streamName },
        { archive: new S3ArchiveStore(c.s3, bucket), publisher, write: () => {} },
      );
    const first = await replay();
    const second = await replay();
    expect(first.summary).toMatchObject({ events: events.length, published: events.length, failed: 0 });
    expect(second.summary).toEqual(first.summary);
    const after = await dump();

    return { before, after, events: events.length, tables: Object.keys(tables).length, campaign: campaignId };
  } finally {
    await poller.abort();
  }
});

describe.skipIf(!hasJava)(
  "smsctl replay of a processed day, twice (kinesis-local, DynamoDB Local, fauxqs)",
  () => {
    it("leaves every DynamoDB item, notification and auto-answer byte-for-byte as it was", async () => {
      const { before, after, events, tables, campaign } = await replayedTwice();
      const rows = Object.values(after.dynamodb).reduce((sum, items) => sum + items.length, 0);
      console.log(
        `replay proof: ${events} events replayed twice; compared ${rows} DynamoDB items in ${tables} tables, ` +
          `${after.notifications.length} notifications, ${after.answers.length} auto-answers, ` +
          `${Object.keys(after.archive).length} archive objects (${Object.keys(before.archive).length} before), ` +
          `${Object.keys(after.metrics).length} metric counts (Delivered ${before.metrics[`${campaign}/Delivered`]} before, ${after.metrics[`${campaign}/Delivered`]} after)`,
      );
      expect(after.dynamodb).toEqual(before.dynamodb);
      expect(after.notifications).toEqual(before.notifications);
      expect(after.answers).toEqual(before.answers);
      expect(after.deadLetters).toBe(0);
    }, 180_000);

    // Replayed records carry the replay mark (core/events/formats/replay.ts): the archive, their
    // source, and analytics, which counted them on their first pass, skip them.
    it("leaves every archive object and every metric count as it was", async () => {
      const { before, after } = await replayedTwice();
      expect(Object.keys(after.archive).sort()).toEqual(Object.keys(before.archive).sort());
      expect(after.archive).toEqual(before.archive);
      expect(after.metrics).toEqual(before.metrics);
    }, 180_000);
  },
);
