/**
 * The Functions host's Event Hubs trigger, in this process: one consumer group per function, one
 * delivery loop per partition, with the semantics the stack configures (providers/azure/handlers/
 * functions.ts, infra/streamFunction.ts):
 * - `cardinality: "many"`: the handler gets up to `maxEventBatchSize` bodies of one partition, in
 *   order, and the trigger metadata the host passes (partitionContext, sequence numbers, offsets,
 *   enqueued times, partition keys);
 * - a partial batch waits at most `maxWaitMs` to fill (host.json maxWaitTime), unless the run is
 *   waiting for the consumer to catch up (`caughtUp`), as the AWS run's poller does for a settle;
 * - `batchCheckpointFrequency: 1`: the checkpoint moves past the batch once the invocation ends;
 * - an invocation that throws is retried from the last checkpoint by the retry policy
 *   (`exponentialBackoff`, `maxRetryCount`); when the retries are spent the host checkpoints anyway
 *   and moves on. Those events are lost to the function: they are reported through `onAbandoned`.
 * Bodies reach the handler as the host hands them over: JSON parsed, anything else as its bytes.
 */
// A CommonJS bundle whose named exports Node's ESM loader cannot detect: take the class off the default.
import azureFunctions from "@azure/functions";
import { type ConsumerStats, emptyConsumerStats } from "../poller/poller";
import type { HubEvent, InProcessEventHub } from "./hub";

const { InvocationContext } = azureFunctions;
type InvocationContext = azureFunctions.InvocationContext;

export interface TriggerSettings {
  /**
   * Print what the function logs through its context, as the Functions library does outside the
   * host (its console fallback); otherwise the run keeps it quiet for the dashboard.
   */
  functionLogs?: boolean;
  maxEventBatchSize: number;
  /** How long a partial batch waits for more events before the invocation. */
  maxWaitMs: number;
  /** The function's retry policy: retries after the first attempt, and the pause before retry n. */
  retry: { maxRetryCount: number; delayMs: (retry: number) => number };
}

export type EventHubsFunction = (messages: unknown[], context: InvocationContext) => Promise<unknown>;

export interface ConsumerGroupHooks {
  onBatch?: (records: number) => void;
  /** A batch the retry policy gave up on: checkpointed past, never delivered again. */
  onAbandoned?: (events: HubEvent[], error: unknown) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const decoder = new TextDecoder("utf-8", { fatal: true });

/** What the host hands the function for one body: its JSON value, or its bytes when it is not JSON. */
export const hostBodyOf = (body: Uint8Array): unknown => {
  try {
    return JSON.parse(decoder.decode(body));
  } catch {
    return Buffer.from(body);
  }
};

export const triggerMetadataOf = (
  hub: InProcessEventHub,
  consumerGroup: string,
  partition: number,
  events: HubEvent[],
) => ({
  partitionContext: {
    FullyQualifiedNamespace: "sms-local.servicebus.windows.net",
    EventHubName: hub.name,
    ConsumerGroup: consumerGroup,
    PartitionId: String(partition),
  },
  sequenceNumberArray: events.map((event) => event.sequenceNumber),
  offsetArray: events.map((event) => event.offset),
  enqueuedTimeUtcArray: events.map((event) => event.enqueuedTimeUtc.toISOString()),
  partitionKeyArray: events.map((event) => event.partitionKey),
  propertiesArray: events.map(() => ({})),
  systemPropertiesArray: events.map((event) => ({
    SequenceNumber: event.sequenceNumber,
    Offset: event.offset,
    PartitionKey: event.partitionKey,
    EnqueuedTimeUtc: event.enqueuedTimeUtc.toISOString(),
  })),
});

export class EventHubConsumerGroup {
  /** Per partition, the index of the first event not yet checkpointed. */
  readonly checkpoints: number[];
  private stopped = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private invocationCount = 0;
  /** Callers of `caughtUp` waiting now: while any waits, a partial batch goes without waiting. */
  private settling = 0;
  private readonly statsSoFar: ConsumerStats = emptyConsumerStats();

  constructor(
    private readonly hub: InProcessEventHub,
    readonly name: string,
    private readonly fn: EventHubsFunction,
    private readonly settings: TriggerSettings,
    private readonly hooks: ConsumerGroupHooks = {},
  ) {
    this.checkpoints = hub.partitions.map(() => 0);
  }

  start(): void {
    this.unsubscribe = this.hub.onAppend(() => this.wakeAll());
    this.loops = this.hub.partitions.map((_, partition) => this.deliver(partition));
  }

  /** Resolves once every event on the hub now is checkpointed. */
  async caughtUp(): Promise<void> {
    const target = this.hub.partitions.map((events) => events.length);
    this.settling++;
    try {
      while (this.checkpoints.some((checkpoint, partition) => checkpoint < target[partition])) {
        if (this.stopped) throw new Error(`consumer group ${this.name} stopped before it caught up`);
        this.wakeAll();
        await new Promise<void>((resolve) => {
          this.wakers.add(resolve);
          setTimeout(resolve, 50);
        });
      }
    } finally {
      this.settling--;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wakeAll();
    await Promise.all(this.loops);
  }

  stats(): ConsumerStats {
    return { ...this.statsSoFar };
  }

  private wakeAll(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }

  /** Waits for an append (or a stop), at most `ms`. */
  private waitForEvents(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakers.add(done);
    });
  }

  private async deliver(partition: number): Promise<void> {
    const events = this.hub.partitions[partition];
    const { maxEventBatchSize, maxWaitMs } = this.settings;
    while (!this.stopped) {
      const available = events.length - this.checkpoints[partition];
      if (available === 0) {
        await this.waitForEvents(1_000);
        continue;
      }
      if (available < maxEventBatchSize && this.settling === 0) {
        const oldest = events[this.checkpoints[partition]].enqueuedTimeUtc.getTime();
        const waited = Date.now() - oldest;
        if (waited < maxWaitMs) {
          await this.waitForEvents(maxWaitMs - waited);
          continue;
        }
      }
      const start = this.checkpoints[partition];
      const batch = events.slice(start, start + maxEventBatchSize);
      await this.invokeWithRetries(partition, batch);
      // batchCheckpointFrequency 1: the checkpoint moves past the batch, whatever its outcome.
      this.checkpoints[partition] = start + batch.length;
      this.hooks.onBatch?.(batch.length);
      this.wakeAll();
    }
  }

  private async invokeWithRetries(partition: number, batch: HubEvent[]): Promise<void> {
    const { maxRetryCount, delayMs } = this.settings.retry;
    let lastError: unknown;
    for (let attempt = 0; attempt <= maxRetryCount; attempt++) {
      if (attempt > 0) {
        this.statsSoFar.retries++;
        await sleep(delayMs(attempt));
      }
      try {
        await this.invoke(partition, batch, attempt);
        return;
      } catch (error) {
        this.statsSoFar.functionErrors++;
        lastError = error;
      }
    }
    this.statsSoFar.deadLetteredBatches++;
    this.statsSoFar.deadLetteredRecords += batch.length;
    this.hooks.onAbandoned?.(batch, lastError);
  }

  private async invoke(partition: number, batch: HubEvent[], retryCount: number): Promise<void> {
    this.statsSoFar.invocations++;
    this.statsSoFar.recordsRead += batch.length;
    const newest = Math.max(...batch.map((event) => event.enqueuedTimeUtc.getTime()));
    this.statsSoFar.maxIteratorAgeMs = Math.max(this.statsSoFar.maxIteratorAgeMs, Date.now() - newest);
    const context = new InvocationContext({
      invocationId: `${this.name}-${++this.invocationCount}`,
      functionName: this.name,
      triggerMetadata: triggerMetadataOf(this.hub, this.name, partition, batch),
      retryContext: { retryCount, maxRetryCount: this.settings.retry.maxRetryCount },
      ...(this.settings.functionLogs ? {} : { logHandler: () => {} }),
    });
    await this.fn(
      batch.map((event) => hostBodyOf(event.body)),
      context,
    );
  }
}
