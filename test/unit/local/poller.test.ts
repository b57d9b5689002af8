import type { KinesisStreamEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { interpretResponse } from "../../../providers/local/poller/batch-delivery";
import { FanOutShardSource } from "../../../providers/local/poller/fan-out-source";
import { EventSourcePoller } from "../../../providers/local/poller/poller";
import {
  type EventSourceMappingSettings,
  EventSourceMappingSettingsSchema,
} from "../../../providers/local/poller/settings";
import type {
  FailedBatchRecord,
  ShardRead,
  ShardRecord,
  ShardSource,
  StreamHandler,
} from "../../../providers/local/poller/types";

/** An in-memory stream: shards are arrays, a cursor is an index. */
class MemoryShardSource implements ShardSource {
  readonly streamArn = "arn:aws:kinesis:us-east-1:111122223333:stream/test";
  constructor(private readonly shards: Record<string, ShardRecord[]>) {}
  async listShards() {
    return Object.keys(this.shards);
  }
  async open() {
    return 0;
  }
  async read(shardId: string, cursor: unknown, limit: number): Promise<ShardRead> {
    const start = cursor as number;
    const records = this.shards[shardId].slice(start, start + limit);
    return { records, cursor: start + records.length, millisBehindLatest: 0 };
  }
}

const record = (n: number, body = `event-${n}`): ShardRecord => ({
  sequenceNumber: String(1000 + n),
  partitionKey: `key-${n % 3}`,
  data: new TextEncoder().encode(body),
  approximateArrivalTimestamp: new Date(),
});

const bodiesOf = (event: KinesisStreamEvent) =>
  event.Records.map((r) => Buffer.from(r.kinesis.data, "base64").toString("utf8"));

interface Harness {
  processed: string[];
  invocations: string[][];
  deadLettered: FailedBatchRecord[];
  poller: EventSourcePoller;
}

async function runPoller(
  records: ShardRecord[],
  handler: (bodies: string[], event: KinesisStreamEvent) => ReturnType<StreamHandler>,
  overrides: Partial<EventSourceMappingSettings> = {},
): Promise<Harness> {
  const harness: Harness = { processed: [], invocations: [], deadLettered: [], poller: undefined as never };
  const settings = EventSourceMappingSettingsSchema.parse({
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    ...overrides,
  });
  harness.poller = new EventSourcePoller(
    new MemoryShardSource({ "shardId-000000000000": records }),
    [
      {
        name: "fake",
        functionArn: "arn:aws:lambda:us-east-1:111122223333:function:fake",
        settings,
        destination: { send: async (failed) => void harness.deadLettered.push(failed) },
        handler: async (event) => {
          const bodies = bodiesOf(event);
          harness.invocations.push(bodies);
          return handler(bodies, event);
        },
      },
    ],
    { region: "us-east-1", idlePollMs: 1 },
  );
  await harness.poller.start();
  await harness.poller.finishWhenCaughtUp();
  return harness;
}

describe("the local event source poller", () => {
  it("invokes the function with native Kinesis records in batches of the configured size, in order", async () => {
    const records = Array.from({ length: 25 }, (_, n) => record(n));
    const harness = await runPoller(records, async () => ({ batchItemFailures: [] }));
    expect(harness.invocations.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(harness.invocations.flat()).toEqual(records.map((_, n) => `event-${n}`));
    expect(harness.deadLettered).toEqual([]);
  });

  it("retries from the first failed sequence number after a partial batch response", async () => {
    const records = Array.from({ length: 6 }, (_, n) => record(n));
    let failedOnce = false;
    const harness = await runPoller(
      records,
      async (bodies, event) => {
        const index = bodies.indexOf("event-3");
        if (index >= 0 && !failedOnce) {
          failedOnce = true;
          return { batchItemFailures: [{ itemIdentifier: event.Records[index].kinesis.sequenceNumber }] };
        }
        return { batchItemFailures: [] };
      },
      { bisectBatchOnFunctionError: false },
    );
    expect(harness.invocations).toEqual([
      ["event-0", "event-1", "event-2", "event-3", "event-4", "event-5"],
      ["event-3", "event-4", "event-5"],
    ]);
    expect(harness.deadLettered).toEqual([]);
  });

  it("bisects a batch whose function throws until the poison record is alone, then dead-letters only it", async () => {
    const records = Array.from({ length: 8 }, (_, n) => record(n, n === 5 ? "poison" : `event-${n}`));
    const harness = await runPoller(
      records,
      async (bodies) => {
        if (bodies.includes("poison")) throw new Error("cannot parse");
        return undefined;
      },
      { maximumRetryAttempts: 2 },
    );
    expect(harness.deadLettered).toHaveLength(1);
    expect(harness.deadLettered[0].KinesisBatchInfo).toMatchObject({
      batchSize: 1,
      startSequenceNumber: "1005",
      endSequenceNumber: "1005",
      shardId: "shardId-000000000000",
    });
    expect(harness.deadLettered[0].requestContext).toMatchObject({
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: 3,
    });
    // Every good record was processed successfully in some invocation that did not contain the poison.
    const succeeded = harness.invocations.filter((batch) => !batch.includes("poison")).flat();
    expect(new Set(succeeded)).toEqual(
      new Set(records.map((_, n) => `event-${n}`).filter((b) => b !== "event-5")),
    );
    // The poison record alone was invoked once plus two retries.
    expect(harness.invocations.filter((batch) => batch.length === 1 && batch[0] === "poison")).toHaveLength(
      3,
    );
  });

  it("without bisection, exhausting the retries sends the whole batch to the on-failure destination", async () => {
    const records = Array.from({ length: 4 }, (_, n) => record(n));
    const harness = await runPoller(
      records,
      async () => {
        throw new Error("downstream unavailable");
      },
      { bisectBatchOnFunctionError: false, maximumRetryAttempts: 1 },
    );
    expect(harness.invocations).toHaveLength(2);
    expect(harness.deadLettered).toHaveLength(1);
    expect(harness.deadLettered[0].KinesisBatchInfo.batchSize).toBe(4);
    expect(harness.deadLettered[0].responseContext.functionError).toBe("downstream unavailable");
    expect(harness.poller.stats().fake).toMatchObject({
      deadLetteredRecords: 4,
      retries: 1,
      functionErrors: 2,
    });
  });

  it("keeps reading the shard after a dead-lettered batch, so a poison record never blocks it", async () => {
    const records = Array.from({ length: 12 }, (_, n) => record(n, n === 0 ? "poison" : `event-${n}`));
    const seen: string[] = [];
    const harness = await runPoller(
      records,
      async (bodies, event) => {
        const index = bodies.indexOf("poison");
        if (index >= 0)
          return { batchItemFailures: [{ itemIdentifier: event.Records[index].kinesis.sequenceNumber }] };
        seen.push(...bodies);
        return { batchItemFailures: [] };
      },
      { maximumRetryAttempts: 0, batchSize: 5 },
    );
    expect(harness.deadLettered.map((failed) => failed.KinesisBatchInfo.batchSize)).toEqual([1]);
    expect(seen.sort()).toEqual(
      records
        .slice(1)
        .map((_, n) => `event-${n + 1}`)
        .sort(),
    );
  });
});

describe("settling the poller between simulated ticks", () => {
  it("delivers a partial batch at once instead of waiting out the batching window, and keeps polling", async () => {
    const shard: ShardRecord[] = [];
    const delivered: string[] = [];
    const poller = new EventSourcePoller(
      new MemoryShardSource({ "shardId-000000000000": shard }),
      [
        {
          name: "fake",
          functionArn: "arn:aws:lambda:us-east-1:111122223333:function:fake",
          // A five-minute window: without settle, three records would sit in the buffer all that time.
          settings: EventSourceMappingSettingsSchema.parse({
            batchSize: 100,
            maximumBatchingWindowInSeconds: 300,
          }),
          destination: { send: async () => {} },
          handler: async (event) => {
            delivered.push(...bodiesOf(event));
            return { batchItemFailures: [] };
          },
        },
      ],
      { region: "us-east-1", idlePollMs: 60_000 },
    );
    await poller.start();
    shard.push(record(0), record(1), record(2));
    const started = performance.now();
    await poller.settle("fake");
    expect(delivered).toEqual(["event-0", "event-1", "event-2"]);
    shard.push(record(3));
    await poller.settle("fake");
    expect(delivered).toEqual(["event-0", "event-1", "event-2", "event-3"]);
    // Neither the idle pause nor the window was waited out.
    expect(performance.now() - started).toBeLessThan(5_000);
    await poller.finishWhenCaughtUp();
  });
});

describe("reading a partial batch response", () => {
  const batch = [record(0), record(1), record(2)];

  it("treats an empty list or no response as success", () => {
    expect(interpretResponse({ batchItemFailures: [] }, batch, true)).toEqual({ type: "ok" });
    expect(interpretResponse(undefined, batch, true)).toEqual({ type: "ok" });
  });

  it("points at the earliest failed record whatever the order of the list", () => {
    const response = { batchItemFailures: [{ itemIdentifier: "1002" }, { itemIdentifier: "1001" }] };
    expect(interpretResponse(response, batch, true)).toEqual({ type: "partial", firstFailedIndex: 1 });
  });

  it("fails the whole batch when an identifier is empty or not in the batch", () => {
    expect(interpretResponse({ batchItemFailures: [{ itemIdentifier: "" }] }, batch, true).type).toBe(
      "error",
    );
    expect(interpretResponse({ batchItemFailures: [{ itemIdentifier: "999" }] }, batch, true).type).toBe(
      "error",
    );
  });

  it("ignores the response when the mapping does not report batch item failures", () => {
    expect(interpretResponse({ batchItemFailures: [{ itemIdentifier: "1001" }] }, batch, false)).toEqual({
      type: "ok",
    });
  });
});

describe("the fan-out shard source", () => {
  it("reads each shard once while every mapping sees every record in order", async () => {
    const shard = Array.from({ length: 30 }, (_, n) => record(n));
    let pagesRead = 0;
    const inner = new MemoryShardSource({ "shardId-000000000000": shard });
    const counting: ShardSource = {
      streamArn: inner.streamArn,
      listShards: () => inner.listShards(),
      open: () => inner.open(),
      read: async (shardId, cursor, limit) => {
        const page = await inner.read(shardId, cursor, limit);
        if (page.records.length > 0) pagesRead++;
        return page;
      },
    };
    const source = new FanOutShardSource(counting);
    const seen: Record<string, string[]> = { a: [], b: [], c: [] };
    const poller = new EventSourcePoller(
      source,
      Object.keys(seen).map((name) => ({
        name,
        functionArn: `arn:aws:lambda:us-east-1:111122223333:function:${name}`,
        settings: EventSourceMappingSettingsSchema.parse({ batchSize: 7, maximumBatchingWindowInSeconds: 0 }),
        destination: { send: async () => undefined },
        handler: async (event) => void seen[name].push(...bodiesOf(event)),
      })),
      { region: "us-east-1", idlePollMs: 1, readLimit: 10 },
    );
    await poller.start();
    await poller.finishWhenCaughtUp();
    const expected = shard.map((_, n) => `event-${n}`);
    expect(seen).toEqual({ a: expected, b: expected, c: expected });
    // Each page of 10 records came from the stream once, not once per mapping.
    expect(pagesRead).toBe(3);
  });
});

describe("the fan-out source when a shard is idle", () => {
  it("answers repeated idle reads from its cache, marked stale, and asks the stream again after the window", async () => {
    let reads = 0;
    let clock = 0;
    const inner = new MemoryShardSource({ "shardId-000000000000": [] });
    const counting: ShardSource = {
      streamArn: inner.streamArn,
      listShards: () => inner.listShards(),
      open: () => inner.open(),
      read: async (shardId, cursor, limit) => {
        reads++;
        return inner.read(shardId, cursor, limit);
      },
    };
    const source = new FanOutShardSource(counting, 200, () => clock);
    const cursor = await source.open("shardId-000000000000", { type: "TRIM_HORIZON" });
    expect((await source.read("shardId-000000000000", cursor, 10)).stale).toBeUndefined();
    const cached = await source.read("shardId-000000000000", cursor, 10);
    expect([reads, cached.stale]).toEqual([1, true]);
    clock += 250;
    expect((await source.read("shardId-000000000000", cursor, 10)).stale).toBeUndefined();
    expect(reads).toBe(2);
  });

  it("never lets a read that joined an earlier in-flight read prove the shard drained", async () => {
    let release: () => void = () => {};
    const inner = new MemoryShardSource({ "shardId-000000000000": [] });
    const slow: ShardSource = {
      streamArn: inner.streamArn,
      listShards: () => inner.listShards(),
      open: () => inner.open(),
      read: async (shardId, cursor, limit) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return inner.read(shardId, cursor, limit);
      },
    };
    const source = new FanOutShardSource(slow);
    const cursor = await source.open("shardId-000000000000", { type: "TRIM_HORIZON" });
    const first = source.read("shardId-000000000000", cursor, 10);
    await new Promise((resolve) => setImmediate(resolve));
    const second = source.read("shardId-000000000000", cursor, 10);
    release();
    expect((await first).stale).toBeUndefined();
    expect((await second).stale).toBe(true);
  });
});
