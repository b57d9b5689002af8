import type { KinesisClient, PutRecordsCommand, PutRecordsCommandOutput } from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import type { Clock, StreamRecord } from "../../../core/ports";
import {
  chunkForPutRecords,
  KinesisEventPublisher,
  MAX_BYTES_PER_REQUEST,
  MAX_RECORDS_PER_REQUEST,
} from "../../../providers/aws/runtime/event-publisher";

const record = (n: number, bytes = 10): StreamRecord => ({
  partitionKey: `pk-${n}`,
  data: new Uint8Array(bytes).fill(n % 256),
});

/** Records every PutRecords call and answers with a per-call script of failing positions. */
class FakeKinesis {
  readonly calls: string[][] = [];
  constructor(private readonly failing: (call: number, partitionKey: string) => boolean | "throw") {}
  async send(command: PutRecordsCommand): Promise<Partial<PutRecordsCommandOutput>> {
    const keys = (command.input.Records ?? []).map((r) => r.PartitionKey ?? "");
    const call = this.calls.push(keys) - 1;
    if (keys.some((k) => this.failing(call, k) === "throw"))
      throw new Error("ProvisionedThroughputExceededException");
    const results = keys.map((k) =>
      this.failing(call, k)
        ? { ErrorCode: "ProvisionedThroughputExceededException" }
        : { SequenceNumber: "1" },
    );
    return { FailedRecordCount: results.filter((r) => "ErrorCode" in r).length, Records: results };
  }
}

const noSleep: Clock = { now: () => new Date(), sleep: async () => {} };
const publisherOn = (fake: FakeKinesis, maxAttempts = 4) =>
  new KinesisEventPublisher(fake as unknown as KinesisClient, "stream", noSleep, {
    maxAttempts,
    random: () => 0.5,
  });

describe("Kinesis event publisher", () => {
  it("splits a batch into requests of at most 500 records", () => {
    const records = Array.from({ length: 1_201 }, (_, i) => record(i));
    const chunks = chunkForPutRecords(
      records,
      records.map((_, i) => i),
    );
    expect(chunks.map((c) => c.length)).toEqual([MAX_RECORDS_PER_REQUEST, MAX_RECORDS_PER_REQUEST, 201]);
    expect(chunks.flat()).toEqual(records.map((_, i) => i));
  });

  it("splits a batch into requests of at most 5 MiB, counting partition keys", () => {
    const records = Array.from({ length: 6 }, (_, i) => record(i, 1024 * 1024 - 4));
    const chunks = chunkForPutRecords(
      records,
      records.map((_, i) => i),
    );
    for (const chunk of chunks) {
      const size = chunk.reduce(
        (sum, i) => sum + records[i].data.byteLength + records[i].partitionKey.length,
        0,
      );
      expect(size).toBeLessThanOrEqual(MAX_BYTES_PER_REQUEST);
    }
    expect(chunks.map((c) => c.length)).toEqual([5, 1]);
  });

  it("retries only the records that failed, and reports none once they succeed", async () => {
    const fake = new FakeKinesis((call, key) => call === 0 && (key === "pk-1" || key === "pk-3"));
    const result = await publisherOn(fake).publish([0, 1, 2, 3].map((n) => record(n)));
    expect(result).toEqual({ failed: [] });
    expect(fake.calls).toEqual([
      ["pk-0", "pk-1", "pk-2", "pk-3"],
      ["pk-1", "pk-3"],
    ]);
  });

  it("gives up after the attempt limit and returns the indices that still failed", async () => {
    const fake = new FakeKinesis((_, key) => key === "pk-2");
    const result = await publisherOn(fake, 3).publish([0, 1, 2].map((n) => record(n)));
    expect(result).toEqual({ failed: [2] });
    expect(fake.calls).toHaveLength(3);
  });

  it("retries a whole request that threw, like a request whose every record failed", async () => {
    const fake = new FakeKinesis((call) => (call === 0 ? "throw" : false));
    const result = await publisherOn(fake).publish([0, 1].map((n) => record(n)));
    expect(result).toEqual({ failed: [] });
    expect(fake.calls).toEqual([
      ["pk-0", "pk-1"],
      ["pk-0", "pk-1"],
    ]);
  });

  it("waits longer before each retry (exponential backoff)", async () => {
    const waits: number[] = [];
    const clock: Clock = { now: () => new Date(), sleep: async (ms) => void waits.push(ms) };
    const fake = new FakeKinesis(() => true);
    const publisher = new KinesisEventPublisher(fake as unknown as KinesisClient, "s", clock, {
      maxAttempts: 4,
      baseDelayMs: 100,
      random: () => 0.5,
    });
    await publisher.publish([record(0)]);
    expect(waits).toEqual([50, 100, 200]);
  });
});
