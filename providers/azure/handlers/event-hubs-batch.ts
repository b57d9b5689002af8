import { unwrapEnvelope } from "../../../core/events/decode";
import type { Clock, DeadLetter, MetricDatum } from "../../../core/ports";
import { type BatchConsumer, type BatchRecord, runBatch } from "../../../core/processing/batch";
import { redactedMessage } from "../../../core/redact";
import { OPERATIONAL_METRIC as BATCH_METRIC } from "../infra/environment";

/** What the Functions host passes beside an Event Hubs batch (`context.triggerMetadata`). */
export interface EventHubsTriggerMetadata {
  sequenceNumberArray?: (number | string)[];
  enqueuedTimeUtcArray?: (string | Date)[];
  partitionContext?: { PartitionId?: string; EventHubName?: string; ConsumerGroup?: string };
}

const asMetadata = (value: unknown): EventHubsTriggerMetadata =>
  value && typeof value === "object" ? (value as EventHubsTriggerMetadata) : {};

const isoOf = (value: string | Date | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
};

/**
 * The batch as core sees it. Record ids are `<partition>-<sequence number>`: sequence numbers are
 * only unique within a partition, and the archive derives its object key from the ids.
 */
export const toBatchRecords = (messages: unknown[], rawMetadata: unknown): BatchRecord[] => {
  const metadata = asMetadata(rawMetadata);
  const partition = metadata.partitionContext?.PartitionId ?? "0";
  return (unwrapEnvelope(messages) ?? []).map((record, index) => {
    const sequence = metadata.sequenceNumberArray?.[index];
    const receivedAt = isoOf(metadata.enqueuedTimeUtcArray?.[index]) ?? record.receivedAt;
    return {
      id: `${partition}-${sequence ?? record.id}`,
      raw: record.raw,
      ...(receivedAt ? { receivedAt } : {}),
    };
  });
};

export interface EventHubsBatchDeps {
  consumer: string;
  deadLetter: DeadLetter;
  clock: Clock;
  /** Attempts per record before it is dead-lettered (1 = no retry). */
  maxAttempts: number;
  /** Pause before attempt n+1 (default 200 ms * 2^(n-1)). */
  backoffMs?: (attempt: number) => number;
  onError?: (recordIds: string[], error: unknown) => void;
}

export interface EventHubsBatchOutcome {
  records: number;
  events: number;
  /** Undecodable records handed to the dead letter. */
  deadLettered: number;
  /** Decodable records that failed every attempt and were handed to the dead letter. */
  exhausted: number;
  attempts: number;
  /** Milliseconds between the newest record's arrival in the hub and now (like Lambda's IteratorAge). */
  lagMs?: number;
}

/**
 * One Event Hubs batch. The Functions host checkpoints a batch once the invocation ends, whatever
 * its result, and cannot take back single records (unlike Lambda's batchItemFailures). So:
 * 1. core's runBatch decodes, dead-letters undecodable records and runs the consumer;
 * 2. the records that failed are run again, in order, up to `maxAttempts` in total, with backoff;
 * 3. what still fails goes to the dead letter with its raw bytes and the last error, so the
 *    checkpoint can advance and nothing is lost;
 * 4. only if the dead letter itself fails does the invocation throw: the host's retry policy then
 *    runs the whole batch again (every write is idempotent, so the replay changes nothing).
 */
export async function runEventHubsBatch(
  messages: unknown[],
  metadata: unknown,
  consumer: BatchConsumer,
  deps: EventHubsBatchDeps,
): Promise<EventHubsBatchOutcome> {
  const meta = asMetadata(metadata);
  const records = toBatchRecords(messages, meta);
  const source = `${deps.consumer}:${meta.partitionContext?.EventHubName ?? "event-hub"}`;
  const backoff = deps.backoffMs ?? ((attempt) => 200 * 2 ** (attempt - 1));
  const lastError = new Map<string, unknown>();
  const outcome: EventHubsBatchOutcome = {
    records: records.length,
    events: 0,
    deadLettered: 0,
    exhausted: 0,
    attempts: 0,
  };

  let pending = records;
  while (pending.length > 0 && outcome.attempts < deps.maxAttempts) {
    if (outcome.attempts > 0) await deps.clock.sleep(backoff(outcome.attempts));
    outcome.attempts++;
    const result = await runBatch(pending, consumer, {
      deadLetter: deps.deadLetter,
      clock: deps.clock,
      source,
      onError: (ids, error) => {
        for (const id of ids) lastError.set(id, error);
        deps.onError?.(ids, error);
      },
    });
    if (outcome.attempts === 1) outcome.events = result.events;
    outcome.deadLettered += result.deadLettered;
    const failed = new Set(result.failedIds);
    pending = pending.filter((record) => failed.has(record.id));
  }

  const undelivered: string[] = [];
  for (const record of pending) {
    try {
      await deps.deadLetter.send({
        raw: record.raw,
        reason: `failed after ${outcome.attempts} attempts: ${redactedMessage(lastError.get(record.id))}`,
        source: `${source}/${record.id}`,
        receivedAt: record.receivedAt ?? deps.clock.now().toISOString(),
      });
      outcome.exhausted++;
    } catch {
      undelivered.push(record.id);
    }
  }
  if (undelivered.length > 0) {
    throw new Error(
      `${deps.consumer}: records ${undelivered.join(", ")} failed and could not be dead-lettered; failing the invocation so the host retries the batch`,
    );
  }

  const arrivals = records
    .map((r) => (r.receivedAt ? Date.parse(r.receivedAt) : Number.NaN))
    .filter(Number.isFinite);
  if (arrivals.length > 0) outcome.lagMs = Math.max(0, deps.clock.now().getTime() - Math.max(...arrivals));
  return outcome;
}

/** Operational metrics of one batch, per consumer: the lag feeds the consumer-lag alert. */
export const batchMetricsOf = (consumer: string, outcome: EventHubsBatchOutcome, at: Date): MetricDatum[] => {
  const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
  const datum = (name: string, value: number, unit: MetricDatum["unit"]): MetricDatum => ({
    name,
    value,
    unit,
    dimensions: { consumer },
    timestamp: minute,
  });
  return [
    datum(BATCH_METRIC.received, outcome.records, "Count"),
    datum(BATCH_METRIC.deadLettered, outcome.deadLettered + outcome.exhausted, "Count"),
    ...(outcome.lagMs === undefined ? [] : [datum(BATCH_METRIC.lag, outcome.lagMs, "Milliseconds")]),
  ];
};
