/**
 * A poison record at the head of a shard (kinesis-local) never blocks the records behind it: the
 * Lambda-like poller invokes the real archive function, the good records reach the S3 archive
 * (fauxqs), the poison record reaches the SQS dead letter with its raw bytes and reason, and the
 * shard's iterator age falls back to 0.
 */
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { encodeEvent, partitionKeyOf } from "../../../core/events/decode";
import { readArchiveObject } from "../../../core/processing/archive";
import { createArchiveHandler } from "../../../providers/aws/handlers/archive";
import { createObservability } from "../../../providers/aws/handlers/observability";
import { S3ArchiveStore } from "../../../providers/aws/runtime/archive-store";
import { SystemClock } from "../../../providers/aws/runtime/clock";
import { decodeDeadLetter, SqsDeadLetter } from "../../../providers/aws/runtime/dead-letter";
import { KinesisEventPublisher } from "../../../providers/aws/runtime/event-publisher";
import { ensureBucket, ensureQueue, ensureStream } from "../../../providers/local/emulators/provision";
import { KinesisShardSource } from "../../../providers/local/poller/kinesis-source";
import { EventSourcePoller } from "../../../providers/local/poller/poller";
import { EventSourceMappingSettingsSchema } from "../../../providers/local/poller/settings";
import { SqsOnFailureDestination } from "../../../providers/local/poller/sqs-destination";
import { MemoryMessageLog } from "../../../providers/local/runtime/memory";
import { uniqueName, useAwsEmulators } from "../../emulators/aws";
import { drainQueue } from "../../emulators/readers";
import { poisonBytes, smsEvent } from "../../unit/aws/kinesis-events";

const fixture = useAwsEmulators({ kinesis: true, fauxqs: true, dynamodb: false });

describe("a poison record in a shard (kinesis-local, fauxqs)", () => {
  it("is dead-lettered with its raw bytes and reason, the records behind it are archived, and the iterator age returns to 0", async () => {
    const c = fixture.clients();
    const streamName = uniqueName("events");
    await ensureStream(c.kinesis, streamName, { shards: 1 });
    const { StreamDescriptionSummary } = await c.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    const bucket = uniqueName("archive");
    await ensureBucket(c.s3, bucket);
    const dlq = await ensureQueue(c.sqs, uniqueName("dlq"));
    const archive = new S3ArchiveStore(c.s3, bucket);
    const poller = new EventSourcePoller(
      new KinesisShardSource(c.kinesis, streamName, StreamDescriptionSummary!.StreamARN!),
      [
        {
          name: "sms-archive",
          functionArn: "arn:aws:lambda:us-east-1:000000000000:function:sms-archive",
          handler: createArchiveHandler({
            ports: {
              clock: new SystemClock(),
              deadLetter: new SqsDeadLetter(c.sqs, dlq.url),
              messages: new MemoryMessageLog(),
              archive,
            },
            observability: createObservability("archive", { logLevel: "SILENT" }),
          }),
          settings: EventSourceMappingSettingsSchema.parse({
            batchSize: 3,
            maximumBatchingWindowInSeconds: 0,
          }),
          destination: new SqsOnFailureDestination(c.sqs, dlq.url),
        },
      ],
      { region: "us-east-1", idlePollMs: 50 },
    );

    const good = Array.from({ length: 8 }, (_, n) =>
      smsEvent({ kind: "delivered", occurredAt: `2032-01-02T03:04:0${n}.000Z`, phoneNumber: "+14255550130" }),
    );
    const publisher = new KinesisEventPublisher(c.kinesis, streamName, new SystemClock());
    // The poison record first, in the same shard (one shard) as every good record behind it.
    const published = await publisher.publish([
      { partitionKey: "+14255550130", data: poisonBytes() },
      ...good.map((event) => ({ partitionKey: partitionKeyOf(event), data: encodeEvent(event) })),
    ]);
    expect(published.failed).toEqual([]);

    try {
      await poller.start();
      await poller.settle("sms-archive");
      const stats = poller.stats()["sms-archive"];
      const shards = Object.keys(stats.iteratorAgeMsByShard);

      const archived = [];
      for (const key of await archive.list("events/dt=2032-01-02/")) {
        archived.push(...(await readArchiveObject((await archive.get(key))!)));
      }
      const deadLetters = (await drainQueue(c.sqs, dlq.url)).map((m) => decodeDeadLetter(m.body));
      console.log(
        `poison proof: ${good.length + 1} records in 1 shard; ${archived.length} archived, ` +
          `${deadLetters.length} dead-lettered, ${stats.invocations} invocations, ` +
          `max iterator age ${stats.maxIteratorAgeMs} ms, now ${stats.iteratorAgeMsByShard[shards[0]]} ms`,
      );
      expect(archived.map((e) => e.eventId).sort()).toEqual(good.map((e) => e.eventId).sort());
      expect(deadLetters).toHaveLength(1);
      expect([...deadLetters[0].raw]).toEqual([...poisonBytes()]);
      expect(deadLetters[0].reason).toMatch(/UTF-8/);
      expect(deadLetters[0].source).toMatch(/^archive:shardId-000000000000\//);
      expect(stats.recordsRead).toBe(good.length + 1);
      expect(shards).toEqual(["shardId-000000000000"]);
      // It was behind (the records waited in the stream) and is caught up now.
      expect(stats.maxIteratorAgeMs).toBeGreaterThan(0);
      expect(stats.iteratorAgeMsByShard["shardId-000000000000"]).toBe(0);
    } finally {
      await poller.abort();
    }
  }, 120_000);
});
