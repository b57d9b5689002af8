/**
 * Reads each shard once and serves the same records to every event source mapping, each at its own
 * position. Lambda's mappings each poll the stream themselves; locally the three of them would triple
 * the GetRecords load on kinesis-local, which is the slowest part of the run, for the same bytes.
 * Each mapping still has its own cursor, batching, retries and checkpoints in the poller.
 *
 * The mappings' positions are positions in these shared records, so they survive a restart of the
 * stream's emulator (chaos runs): the stream's iterators die with it and its sequence numbers are
 * handed out anew, so after an outage each shard is read again from its trim horizon, checked
 * record by record against what was already read, and continued from there.
 */
import { sameRecord } from "../chaos/stream-journal";
import type { StreamOutage } from "../chaos/stream-outage";
import type { ShardPosition, ShardRead, ShardRecord, ShardSource } from "./types";

interface SharedShard {
  records: ShardRecord[];
  cursor: unknown;
  millisBehindLatest: number;
  /** The read in flight, so concurrent readers wait for it instead of issuing their own. */
  pending?: Promise<void>;
  /** When the read that last found the shard drained began (ms since epoch). */
  drainedAt?: number;
  /** The stream outages this shard's cursor has been realigned after. */
  outagesSeen: number;
  /**
   * Records read before an outage that the restarted stream did not hold yet: the writer puts
   * them again once the stream is back (an interrupted request), and they are not served twice.
   */
  awaited: ShardRecord[];
}

export class FanOutShardSource implements ShardSource {
  private readonly shards = new Map<string, Promise<SharedShard>>();
  /** Shards read again from their trim horizon after a stream outage. */
  realignedShards = 0;

  /**
   * @param drainedRefetchMs after a read finds the shard drained, further reads within this window
   *   answer "nothing new" without asking the stream: idle mappings would otherwise poll an idle
   *   shard many times a second between them (Lambda polls an idle shard about once a second).
   */
  constructor(
    private readonly source: ShardSource,
    private readonly drainedRefetchMs = 200,
    private readonly now: () => number = Date.now,
    private readonly outage?: StreamOutage,
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
      shared = this.source.open(shardId, { type: "TRIM_HORIZON" }).then((cursor) => ({
        records: [],
        cursor,
        millisBehindLatest: 0,
        outagesSeen: this.outage?.count ?? 0,
        awaited: [],
      }));
      this.shards.set(shardId, shared);
    }
    return shared;
  }

  private async fetch(shardId: string, shared: SharedShard, limit: number): Promise<void> {
    for (;;) {
      await this.outage?.passable();
      const outagesBefore = this.outage?.count ?? 0;
      try {
        if (shared.outagesSeen !== outagesBefore) await this.realign(shardId, shared, outagesBefore);
        const startedAt = this.now();
        const read = await this.source.read(shardId, shared.cursor, limit);
        // A read the outage interrupted may have reached the restarted stream with a dead iterator.
        if (this.outage?.interrupted(outagesBefore)) continue;
        shared.cursor = read.cursor;
        shared.millisBehindLatest = read.millisBehindLatest;
        shared.records.push(...this.unseen(shardId, shared, read.records));
        shared.drainedAt = read.records.length === 0 ? startedAt : undefined;
        return;
      } catch (error) {
        if (!this.outage?.interrupted(outagesBefore)) throw error;
      }
    }
  }

  /**
   * Reads the restarted shard from its trim horizon past the records already read, each checked
   * against the one read before the outage; records beyond them are new and join the shared list.
   */
  private async realign(shardId: string, shared: SharedShard, outagesBefore: number): Promise<void> {
    let cursor = await this.source.open(shardId, { type: "TRIM_HORIZON" });
    const beyond: ShardRecord[] = [];
    let position = 0;
    let millisBehindLatest = 0;
    for (;;) {
      const read = await this.source.read(shardId, cursor, 10_000);
      cursor = read.cursor;
      millisBehindLatest = read.millisBehindLatest;
      for (const record of read.records) {
        const known = shared.records[position];
        if (known && !sameRecord(known, record)) {
          throw new Error(
            `${shardId} holds other records than before the stream restarted (from position ${position})`,
          );
        }
        if (!known) beyond.push(record);
        position++;
      }
      if (read.records.length === 0) break;
    }
    if (this.outage?.interrupted(outagesBefore)) throw new Error(`${shardId}: the stream went down again`);
    shared.cursor = cursor;
    shared.millisBehindLatest = millisBehindLatest;
    shared.awaited = shared.records.slice(position);
    shared.records.push(...beyond);
    shared.outagesSeen = outagesBefore;
    this.realignedShards++;
  }

  /** The records of a read that were not read before an outage (see SharedShard.awaited). */
  private unseen(shardId: string, shared: SharedShard, records: ShardRecord[]): ShardRecord[] {
    if (shared.awaited.length === 0) return records;
    const fresh: ShardRecord[] = [];
    for (const record of records) {
      const next = shared.awaited[0];
      if (!next) fresh.push(record);
      else if (sameRecord(next, record)) shared.awaited.shift();
      else
        throw new Error(
          `${shardId} holds other records than before the stream restarted (${shared.awaited.length} read before it are still missing)`,
        );
    }
    return fresh;
  }
}
