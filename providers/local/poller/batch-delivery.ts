/**
 * Lambda's retry semantics for one Kinesis batch, independent of where records come from:
 * - a partial batch response (`batchItemFailures`) checkpoints everything before the first failed
 *   sequence number and retries from there; an identifier that is not in the batch fails it whole;
 * - a function error (throw, or a malformed response) bisects the batch when bisectBatchOnFunctionError
 *   is on (bisection does not use up retries) and otherwise retries it whole;
 * - once retries (or the record age limit) run out, the batch goes to the on-failure destination and
 *   the shard moves on, so a poison record never blocks it.
 */
import type { EventSourceMappingSettings } from "./settings";
import type { ShardRecord } from "./types";

export type InvokeOutcome =
  | { type: "ok" }
  | { type: "partial"; firstFailedIndex: number }
  | { type: "error"; message: string };

export interface BatchDeliveryStats {
  invocations: number;
  functionErrors: number;
  partialFailures: number;
  bisections: number;
  retries: number;
  deadLetteredRecords: number;
  deadLetteredBatches: number;
}

export const emptyBatchDeliveryStats = (): BatchDeliveryStats => ({
  invocations: 0,
  functionErrors: 0,
  partialFailures: 0,
  bisections: 0,
  retries: 0,
  deadLetteredRecords: 0,
  deadLetteredBatches: 0,
});

export interface BatchDeliveryDeps {
  settings: EventSourceMappingSettings;
  invoke(records: ShardRecord[]): Promise<InvokeOutcome>;
  giveUp(
    records: ShardRecord[],
    condition: "RetryAttemptsExhausted" | "RecordAgeExceeded",
    invokeCount: number,
    lastError: string,
  ): Promise<void>;
  now(): Date;
  stats: BatchDeliveryStats;
}

/** Interprets what the function returned, as Lambda does for ReportBatchItemFailures. */
export function interpretResponse(
  response: unknown,
  records: ShardRecord[],
  reportBatchItemFailures: boolean,
): InvokeOutcome {
  if (!reportBatchItemFailures || response === undefined || response === null) return { type: "ok" };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || (Array.isArray(failures) && failures.length === 0)) return { type: "ok" };
  if (!Array.isArray(failures)) return { type: "error", message: "batchItemFailures is not a list" };
  let firstFailedIndex = records.length;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === "string" ? records.findIndex((record) => record.sequenceNumber === id) : -1;
    // Lambda treats an empty, null or unknown identifier as a failure of the whole batch.
    if (index < 0)
      return { type: "error", message: `batchItemFailures names an unknown record: ${String(id)}` };
    firstFailedIndex = Math.min(firstFailedIndex, index);
  }
  return { type: "partial", firstFailedIndex };
}

const isTooOld = (records: ShardRecord[], settings: EventSourceMappingSettings, now: Date) =>
  settings.maximumRecordAgeInSeconds >= 0 &&
  now.getTime() - records[0].approximateArrivalTimestamp.getTime() >
    settings.maximumRecordAgeInSeconds * 1000;

const retriesLeft = (attempt: number, settings: EventSourceMappingSettings) =>
  settings.maximumRetryAttempts < 0 || attempt < settings.maximumRetryAttempts;

/** Delivers the batch until every record is processed or handed to the on-failure destination. */
export async function deliverBatch(
  records: ShardRecord[],
  deps: BatchDeliveryDeps,
  attempt = 0,
): Promise<void> {
  const { settings, stats } = deps;
  let pending = records;
  let retry = attempt;
  while (pending.length > 0) {
    if (retry > 0 && isTooOld(pending, settings, deps.now())) {
      await abandon(pending, "RecordAgeExceeded", retry, "record older than maximumRecordAgeInSeconds", deps);
      return;
    }
    stats.invocations++;
    const outcome = await deps.invoke(pending);
    if (outcome.type === "ok") return;
    if (outcome.type === "partial") {
      stats.partialFailures++;
      pending = pending.slice(outcome.firstFailedIndex);
      if (settings.bisectBatchOnFunctionError && pending.length > 1) {
        await bisect(pending, deps, retry);
        return;
      }
    } else {
      stats.functionErrors++;
      if (settings.bisectBatchOnFunctionError && pending.length > 1) {
        await bisect(pending, deps, retry);
        return;
      }
    }
    if (!retriesLeft(retry, settings)) {
      const reason = outcome.type === "error" ? outcome.message : "record reported as failed";
      await abandon(pending, "RetryAttemptsExhausted", retry + 1, reason, deps);
      return;
    }
    retry++;
    stats.retries++;
  }
}

/** Splitting a batch does not count against the retry quota (Lambda's documented behaviour). */
async function bisect(records: ShardRecord[], deps: BatchDeliveryDeps, attempt: number): Promise<void> {
  deps.stats.bisections++;
  const middle = Math.ceil(records.length / 2);
  await deliverBatch(records.slice(0, middle), deps, attempt);
  await deliverBatch(records.slice(middle), deps, attempt);
}

async function abandon(
  records: ShardRecord[],
  condition: "RetryAttemptsExhausted" | "RecordAgeExceeded",
  invokeCount: number,
  reason: string,
  deps: BatchDeliveryDeps,
): Promise<void> {
  deps.stats.deadLetteredBatches++;
  deps.stats.deadLetteredRecords += records.length;
  await deps.giveUp(records, condition, invokeCount, reason);
}
