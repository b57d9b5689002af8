/**
 * A local stand-in for Lambda's Kinesis event source mappings: for every function and every shard it
 * reads from the trim horizon, gathers batches (batch size and batching window), invokes the function
 * with the native Kinesis event, and applies Lambda's failure semantics (see batch-delivery.ts).
 * One batch per shard at a time, as with a parallelization factor of 1, so per-key order holds.
 */
import { randomUUID } from "node:crypto";
import {
  type BatchDeliveryStats,
  deliverBatch,
  emptyBatchDeliveryStats,
  type InvokeOutcome,
  interpretResponse,
} from "./batch-delivery";
import { toKinesisStreamEvent } from "./kinesis-event";
import type { EventSourceMappingSettings } from "./settings";
import type {
  FailedBatchRecord,
  OnFailureDestination,
  ShardRead,
  ShardRecord,
  ShardSource,
  StreamHandler,
} from "./types";

export interface ConsumerSpec {
  name: string;
  functionArn: string;
  handler: StreamHandler;
  settings: EventSourceMappingSettings;
  destination: OnFailureDestination;
}

export interface ConsumerStats extends BatchDeliveryStats {
  recordsRead: number;
  /** Lambda's IteratorAge: how old the newest record of a batch was when the batch was invoked. */
  maxIteratorAgeMs: number;
  /**
   * Each shard's iterator age now: the age of the newest record of the batch being delivered, and
   * once a read finds the shard drained, how far behind the tip it is (0): Lambda's IteratorAge
   * falling back to 0 is how an operator sees that a shard is not blocked.
   */
  iteratorAgeMsByShard: Record<string, number>;
}

export const emptyConsumerStats = (): ConsumerStats => ({
  ...emptyBatchDeliveryStats(),
  recordsRead: 0,
  maxIteratorAgeMs: 0,
  iteratorAgeMsByShard: {},
});

export interface PollerOptions {
  region: string;
  /** How long an idle shard waits before polling again (Lambda polls idle shards about once a second). */
  idlePollMs?: number;
  /** Records per GetRecords call. */
  readLimit?: number;
  now?: () => Date;
  onBatch?: (consumer: string, records: number) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EventSourcePoller {
  private readonly statsByConsumer = new Map<string, ConsumerStats>();
  private loops: Promise<void>[] = [];
  private finishing = false;
  private aborted = false;
  /** Settle requests so far, and the last one each consumer's shard loop has answered. */
  private settleRequests = 0;
  private lastSettleRequestAt = 0;
  private readonly settled = new Map<string, number>();
  private readonly sleepers = new Set<() => void>();
  private readonly now: () => Date;

  constructor(
    private readonly source: ShardSource,
    private readonly consumers: ConsumerSpec[],
    private readonly options: PollerOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    for (const consumer of consumers) {
      this.statsByConsumer.set(consumer.name, emptyConsumerStats());
    }
  }

  private loopKeys: string[] = [];

  async start(): Promise<void> {
    const shards = await this.source.listShards();
    this.loopKeys = this.consumers.flatMap((consumer) =>
      shards.map((shardId) => `${consumer.name}/${shardId}`),
    );
    this.loops = this.consumers.flatMap((consumer) =>
      shards.map((shardId) => this.pollShard(consumer, shardId)),
    );
  }

  /** Nothing more will be written: each shard stops once a read made after this call finds it drained. */
  async finishWhenCaughtUp(): Promise<void> {
    this.finishing = true;
    for (const wake of this.sleepers) wake();
    await Promise.all(this.loops);
  }

  /**
   * Resolves once every shard of `consumer` has handed all it holds to the function and a read
   * made after this call found the shard drained; the loops keep running. The run calls it between
   * simulated ticks: a tick interval is longer than the batching window, so a deployed mapping
   * would have delivered those records by then; here the window closes at once instead of in real time.
   */
  async settle(consumer: string): Promise<void> {
    const request = ++this.settleRequests;
    this.lastSettleRequestAt = Date.now();
    for (const wake of this.sleepers) wake();
    const keys = this.loopKeys.filter((key) => key.startsWith(`${consumer}/`));
    while (!this.aborted && keys.some((key) => (this.settled.get(key) ?? 0) < request)) {
      await sleep(2);
    }
  }

  async abort(): Promise<void> {
    this.aborted = true;
    await Promise.allSettled(this.loops);
  }

  stats(): Record<string, ConsumerStats> {
    return Object.fromEntries(
      [...this.statsByConsumer].map(([name, stats]) => [
        name,
        { ...stats, iteratorAgeMsByShard: { ...stats.iteratorAgeMsByShard } },
      ]),
    );
  }

  private async pollShard(consumer: ConsumerSpec, shardId: string): Promise<void> {
    const { settings } = consumer;
    const stats = this.statsByConsumer.get(consumer.name)!;
    const idlePollMs = this.options.idlePollMs ?? 200;
    let cursor = await this.source.open(shardId, { type: "TRIM_HORIZON" });
    const buffer: ShardRecord[] = [];
    let windowOpenedAt: number | undefined;
    const loopKey = `${consumer.name}/${shardId}`;
    while (!this.aborted) {
      const finishingBeforeRead = this.finishing;
      const settleBeforeRead = this.settleRequests;
      const settling = settleBeforeRead > (this.settled.get(loopKey) ?? 0);
      let drained = false;
      let gotNothing = false;
      let lastRead: ShardRead | undefined;
      if (buffer.length < settings.batchSize) {
        const read = await this.source.read(shardId, cursor, this.options.readLimit ?? 10_000, {
          fresh: settling,
        });
        lastRead = read;
        cursor = read.cursor;
        buffer.push(...read.records);
        stats.recordsRead += read.records.length;
        gotNothing = read.records.length === 0;
        drained = gotNothing && !read.stale;
        if (drained && buffer.length === 0) stats.iteratorAgeMsByShard[shardId] = read.millisBehindLatest;
      }
      if (buffer.length === 0) {
        if (drained) this.settled.set(loopKey, settleBeforeRead);
        // A cached "nothing new" proves as much, when the read behind it began after the last request.
        else if (gotNothing && (lastRead?.drainedAsOf ?? -1) >= this.lastSettleRequestAt) {
          this.settled.set(loopKey, this.settleRequests);
        }
        if (finishingBeforeRead && drained) return;
        // Settle requests made while the read was in flight are answered by the next read.
        // Still settling: read again at once.
        const settled = (this.settled.get(loopKey) ?? 0) >= this.settleRequests;
        if (settled && this.settleRequests === settleBeforeRead) await this.idle(idlePollMs);
        continue;
      }
      windowOpenedAt ??= this.now().getTime();
      const windowMs = settings.maximumBatchingWindowInSeconds * 1000;
      const batchReady =
        buffer.length >= settings.batchSize ||
        this.finishing ||
        settling ||
        this.now().getTime() - windowOpenedAt >= windowMs;
      if (!batchReady) {
        if (gotNothing) await this.idle(Math.min(idlePollMs, windowMs));
        continue;
      }
      const batch = buffer.splice(0, settings.batchSize);
      windowOpenedAt = undefined;
      const newest = batch[batch.length - 1].approximateArrivalTimestamp.getTime();
      const iteratorAgeMs = this.now().getTime() - newest;
      stats.iteratorAgeMsByShard[shardId] = iteratorAgeMs;
      stats.maxIteratorAgeMs = Math.max(stats.maxIteratorAgeMs, iteratorAgeMs);
      await deliverBatch(batch, {
        settings,
        stats,
        now: this.now,
        invoke: (records) => this.invoke(consumer, shardId, records),
        giveUp: (records, condition, invokeCount, reason) =>
          consumer.destination.send(
            this.failedBatchRecord(consumer, shardId, records, condition, invokeCount, reason),
          ),
      });
      this.options.onBatch?.(consumer.name, batch.length);
    }
  }

  /** An idle shard's pause, cut short by a settle request. */
  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async invoke(
    consumer: ConsumerSpec,
    shardId: string,
    records: ShardRecord[],
  ): Promise<InvokeOutcome> {
    const event = toKinesisStreamEvent(records, {
      shardId,
      streamArn: this.source.streamArn,
      region: this.options.region,
      functionArn: consumer.functionArn,
    });
    try {
      const response = await consumer.handler(event);
      return interpretResponse(response, records, consumer.settings.reportBatchItemFailures);
    } catch (error) {
      return { type: "error", message: error instanceof Error ? error.message : String(error) };
    }
  }

  private failedBatchRecord(
    consumer: ConsumerSpec,
    shardId: string,
    records: ShardRecord[],
    condition: "RetryAttemptsExhausted" | "RecordAgeExceeded",
    invokeCount: number,
    reason: string,
  ): FailedBatchRecord {
    const first = records[0];
    const last = records[records.length - 1];
    return {
      requestContext: {
        requestId: randomUUID(),
        functionArn: consumer.functionArn,
        condition,
        approximateInvokeCount: invokeCount,
      },
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: reason },
      version: "1.0",
      timestamp: this.now().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.sequenceNumber,
        endSequenceNumber: last.sequenceNumber,
        approximateArrivalOfFirstRecord: first.approximateArrivalTimestamp.toISOString(),
        approximateArrivalOfLastRecord: last.approximateArrivalTimestamp.toISOString(),
        batchSize: records.length,
        streamArn: this.source.streamArn,
      },
    };
  }
}
