/**
 * A stream emulator killed and restarted from an older snapshot, in memory: what the writer had
 * acknowledged since is put back, interrupted requests are put again, and the shared readers pick
 * up each shard where they were, by content, though the restarted stream hands out new iterators
 * and sequence numbers. The end-to-end proof on kinesis-local is test/e2e/chaos.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { EventPublisher, PublishResult, StreamRecord } from "../../../core/ports";
import { crashStream } from "../../../providers/local/chaos/stream-crash";
import { StreamJournal } from "../../../providers/local/chaos/stream-journal";
import { StreamOutage } from "../../../providers/local/chaos/stream-outage";
import { FanOutShardSource } from "../../../providers/local/poller/fan-out-source";
import type { ShardRead, ShardRecord, ShardSource } from "../../../providers/local/poller/types";
import { CoalescingPublisher } from "../../../providers/local/run/coalescing-publisher";

const SHARDS = ["shard-0", "shard-1"];
const shardOf = (partitionKey: string) => SHARDS[Number(partitionKey.slice(-1)) % SHARDS.length];
const record = (body: string, key = `key-${body.length}`): StreamRecord => ({
  partitionKey: key,
  data: new TextEncoder().encode(body),
});
const bodies = (records: readonly { data: Uint8Array }[]) =>
  records.map((r) => new TextDecoder().decode(r.data));

/**
 * kinesis-local in miniature: it refuses every call while dead, restarts from its last snapshot
 * with new sequence numbers, and refuses an iterator from before the restart, as Kinesis refuses
 * an expired one (kinesis-local accepts it and reads on from its position, which need not be the
 * same records: the readers must not trust it either way).
 */
interface Iterator {
  life: number;
  index: number;
}

class CrashableStream implements ShardSource, EventPublisher {
  readonly streamArn = "arn:aws:kinesis:us-east-1:111122223333:stream/test";
  private shards: Record<string, ShardRecord[]> = Object.fromEntries(SHARDS.map((s) => [s, []]));
  private snapshotted: Record<string, ShardRecord[]> = {};
  private alive = true;
  private lives = 0;
  private sequence = 0;

  snapshot(): void {
    this.snapshotted = structuredClone(this.shards);
  }
  kill(): void {
    this.alive = false;
  }
  restart(): void {
    this.shards = structuredClone(this.snapshotted);
    for (const shard of SHARDS) this.shards[shard] ??= [];
    this.alive = true;
    this.lives++;
  }
  content(shardId: string): string[] {
    return bodies(this.shards[shardId]);
  }
  private refuseWhenDead(): void {
    if (!this.alive) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  }

  async publish(records: StreamRecord[]): Promise<PublishResult> {
    this.refuseWhenDead();
    for (const r of records) {
      this.shards[shardOf(r.partitionKey)].push({
        ...r,
        sequenceNumber: `${this.lives}-${this.sequence++}`,
        approximateArrivalTimestamp: new Date(),
      });
    }
    return { failed: [] };
  }
  async listShards(): Promise<string[]> {
    this.refuseWhenDead();
    return SHARDS;
  }
  async open(): Promise<unknown> {
    this.refuseWhenDead();
    return { life: this.lives, index: 0 } satisfies Iterator;
  }
  async read(shardId: string, cursor: unknown, limit: number): Promise<ShardRead> {
    this.refuseWhenDead();
    const { life, index } = cursor as Iterator;
    if (life !== this.lives)
      throw Object.assign(new Error("Iterator expired"), { name: "ExpiredIteratorException" });
    const records = this.shards[shardId].slice(index, index + limit);
    return { records, cursor: { life, index: index + records.length }, millisBehindLatest: 0 };
  }
}

const openAll = async (source: ShardSource) => {
  const cursors: Record<string, unknown> = {};
  for (const shardId of SHARDS) cursors[shardId] = await source.open(shardId, { type: "TRIM_HORIZON" });
  return cursors;
};

/** Everything the fan-out serves a reader from each shard, from `cursors` on. */
const readOn = async (source: FanOutShardSource, cursors: Record<string, unknown>) => {
  const served: string[] = [];
  for (const shardId of SHARDS) {
    for (;;) {
      const read = await source.read(shardId, cursors[shardId], 100, { fresh: true });
      cursors[shardId] = read.cursor;
      served.push(...bodies(read.records));
      if (read.records.length === 0) break;
    }
  }
  return served.sort();
};

const rig = () => {
  const stream = new CrashableStream();
  const outage = new StreamOutage();
  const journal = new StreamJournal();
  const writer = new CoalescingPublisher(stream, 500, { outage, journal });
  const fanOut = new FanOutShardSource(stream, 0, Date.now, outage);
  return { stream, outage, journal, writer, fanOut };
};

describe("the stream journal", () => {
  it("finds the acknowledged records a restored stream lacks, in order, counting repeats", () => {
    const journal = new StreamJournal();
    const [a, b, c] = [record("a", "k0"), record("b", "k1"), record("c", "k0")];
    journal.accepted([a, b, a, c]);
    // The restored stream holds one "a" of two, and "b"; the same bytes under another key are another record.
    const present = [a, b, record("c", "k1")];
    expect(journal.missingFrom(present).map((r) => [r.partitionKey, bodies([r])[0]])).toEqual([
      ["k0", "a"],
      ["k0", "c"],
    ]);
    expect(journal.missingFrom([a, a, b, c])).toEqual([]);
  });

  it("wakes a kill waiting for a request sent after a time at its acknowledgement, or gives up at a timeout", async () => {
    const journal = new StreamJournal();
    let woken: boolean | undefined;
    const waiting = journal.acknowledgedAfter(1_000, 60_000).then((acknowledged) => {
      woken = acknowledged;
    });
    journal.accepted([record("a", "k0")], 999);
    journal.accepted([record("b", "k0")], 1_000);
    await Promise.resolve();
    expect(woken).toBeUndefined();
    journal.accepted([record("c", "k0")], 1_001);
    await waiting;
    expect(woken).toBe(true);
    expect(await journal.acknowledgedAfter(Date.now(), 20)).toBe(false);
  });
});

describe("the writer during a stream outage", () => {
  it("puts again a request the outage interrupted, once the stream is back, and journals what was accepted", async () => {
    const outage = new StreamOutage();
    const journal = new StreamJournal();
    const requests: string[][] = [];
    let killDuringRequest = true;
    const inner: EventPublisher = {
      publish: async (records) => {
        requests.push(bodies(records));
        if (!killDuringRequest) return { failed: [] };
        killDuringRequest = false;
        outage.begin();
        // The first record made it before the emulator died; the rest failed.
        return { failed: records.slice(1).map((_, index) => index + 1) };
      },
    };
    const writer = new CoalescingPublisher(inner, 500, { outage, journal });
    const published = writer.publish([record("one"), record("two"), record("three")]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(requests).toEqual([["one", "two", "three"]]);
    const later = writer.publish([record("four")]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Nothing goes out while the stream is down.
    expect(requests).toHaveLength(1);
    outage.end();
    expect(await published).toEqual({ failed: [] });
    expect(await later).toEqual({ failed: [] });
    expect(requests).toEqual([["one", "two", "three"], ["two", "three"], ["four"]]);
    expect([writer.published, writer.failed, writer.outageRetries]).toEqual([4, 0, 2]);
    expect(journal.size).toBe(4);
  });

  it("still reports a failure no outage explains", async () => {
    const writer = new CoalescingPublisher({ publish: async () => ({ failed: [0] }) }, 500, {
      outage: new StreamOutage(),
    });
    expect(await writer.publish([record("x")])).toEqual({ failed: [0] });
    expect(writer.failed).toBe(1);
  });
});

describe("a stream killed and restarted from an older snapshot", () => {
  it("gets back every acknowledged record in order, and its readers go on without a repeat or a gap", async () => {
    const { stream, outage, journal, writer, fanOut } = rig();
    await writer.publish(["a0", "a1", "a2", "a3"].map((b, n) => record(b, `k${n}`)));
    stream.snapshot();
    await writer.publish(["b0", "b1", "b2"].map((b, n) => record(b, `k${n}`)));
    const cursors = await openAll(fanOut);
    expect(await readOn(fanOut, cursors)).toEqual(["a0", "a1", "a2", "a3", "b0", "b1", "b2"]);

    const recovery = await crashStream({
      outage,
      writer,
      journal,
      crash: async (whileDown) => {
        stream.kill();
        await whileDown();
        stream.restart();
      },
      ensureStream: async () => undefined,
      source: stream,
    });
    expect(recovery).toEqual({ fromSnapshot: 4, putBack: 3 });
    // Each shard as it was, in the order the writer had it acknowledged.
    expect(stream.content("shard-0")).toEqual(["a0", "a2", "b0", "b2"]);
    expect(stream.content("shard-1")).toEqual(["a1", "a3", "b1"]);

    await writer.publish(["c0", "c1"].map((b, n) => record(b, `k${n}`)));
    expect(await readOn(fanOut, cursors)).toEqual(["c0", "c1"]);
    expect(fanOut.realignedShards).toBe(2);
  });

  it("does not serve twice a record read before the crash and put again after it", async () => {
    const { stream, outage, writer, fanOut } = rig();
    await stream.publish([record("x0", "k0")]);
    const cursors = await openAll(fanOut);
    expect(await readOn(fanOut, cursors)).toEqual(["x0"]);
    // The request that carried x0 never heard back: the emulator died before any snapshot.
    outage.begin();
    stream.kill();
    stream.restart();
    outage.end();
    expect(await readOn(fanOut, cursors)).toEqual([]);
    await writer.publish([record("x0", "k0"), record("y0", "k0")]);
    expect(await readOn(fanOut, cursors)).toEqual(["y0"]);
  });

  it("refuses to go on when the restarted shard holds other records than were read", async () => {
    const { stream, outage, fanOut } = rig();
    await stream.publish([record("x0", "k0")]);
    const cursors = await openAll(fanOut);
    await readOn(fanOut, cursors);
    outage.begin();
    stream.kill();
    stream.restart();
    await stream.publish([record("z0", "k0")]);
    outage.end();
    await expect(fanOut.read("shard-0", cursors["shard-0"], 100, { fresh: true })).rejects.toThrow(
      "shard-0 holds other records than before the stream restarted",
    );
  });
});
