/**
 * Reads each shard once and serves the same records to every event source mapping, each at its own
 * position. Lambda's mappings each poll the stream themselves; locally the three of them would triple
 * the GetRecords load on kinesis-local, which is the slowest part of the run, for the same bytes.
 * Each mapping still has its own cursor, batching, retries and checkpoints in the poller.
 */
import type { ShardPosition, ShardRead, ShardRecord, ShardSource } from "./types";

interface SharedShard {
  records: ShardRecord[];
  cursor: unknown;
  millisBehindLatest: number;
  /** The read in flight, so concurrent readers wait for it instead of issuing their own. */
  pending?: Promise<void>;
  /** When the read that last found the shard drained began (ms since epoch). */
  drainedAt?: number;
}

export class FanOutShardSource implements ShardSource {
  private readonly shards = new Map<string, Promise<SharedShard>>();

  /**
   * @param drainedRefetchMs after a read finds the shard drained, further reads within this window
   *   answer "nothing new" without asking the stream: idle mappings would otherwise poll an idle
   *   shard many times a second between them (Lambda polls an idle shard about once a second).
   */
  constructor(
    private readonly source: ShardSource,
    private readonly drainedRefetchMs = 200,
    private readonly now: () => number = Date.now,
  ) {}

  get streamArn(): string {
    return this.source.streamArn;
  }

  listShards(): Promise<string[]> {
    return this.source.listShards();
  }

  async open(shardId: string, from: ShardPosition): Promise<unknown> {
    const shared = await this.shared(shardId);
    if (from.type === "TRIM_HORIZON") return 0;
    const index = shared.records.findIndex((record) => record.sequenceNumber === from.sequenceNumber);
    if (index < 0)
      throw new Error(`sequence number ${from.sequenceNumber} has not been read from ${shardId}`);
    return index + 1;
  }

  async read(
    shardId: string,
    cursor: unknown,
    limit: number,
    options: { fresh?: boolean } = {},
  ): Promise<ShardRead> {
    const shared = await this.shared(shardId);
    const offset = cursor as number;
    const recentlyDrained =
      !options.fresh &&
      shared.drainedAt !== undefined &&
      this.now() - shared.drainedAt < this.drainedRefetchMs;
    // A read already in flight began before this call, so it may have missed the latest writes.
    const joinedInFlight = shared.pending !== undefined;
    if (offset >= shared.records.length && !recentlyDrained) {
      shared.pending ??= this.fetch(shardId, shared, limit).finally(() => {
        shared.pending = undefined;
      });
      await shared.pending;
    }
    const records = shared.records.slice(offset, offset + limit);
    return {
      records,
      cursor: offset + records.length,
      millisBehindLatest: offset + records.length < shared.records.length ? 1 : shared.millisBehindLatest,
      ...((recentlyDrained || joinedInFlight) && records.length === 0
        ? { stale: true, ...(shared.drainedAt === undefined ? {} : { drainedAsOf: shared.drainedAt }) }
        : {}),
    };
  }

  private shared(shardId: string): Promise<SharedShard> {
    let shared = this.shards.get(shardId);
    if (!shared) {
      shared = this.source
        .open(shardId, { type: "TRIM_HORIZON" })
        .then((cursor) => ({ records: [], cursor, millisBehindLatest: 0 }));
      this.shards.set(shardId, shared);
    }
    return shared;
  }

  private async fetch(shardId: string, shared: SharedShard, limit: number): Promise<void> {
    const startedAt = this.now();
    const read = await this.source.read(shardId, shared.cursor, limit);
    shared.cursor = read.cursor;
    shared.millisBehindLatest = read.millisBehindLatest;
    shared.records.push(...read.records);
    shared.drainedAt = read.records.length === 0 ? startedAt : undefined;
  }
}
