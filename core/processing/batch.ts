import { type DecodeContext, type DecodeResult, decodeRecord } from "../events/decode";
import type { SmsEvent } from "../events/schema";
import type { Clock, DeadLetter } from "../ports";
import { redactText } from "../redact";

/** One record as the trigger delivered it: an id to report back on failure, and its bytes. */
export interface BatchRecord {
  /** What the transport checkpoints by: Kinesis sequence number, Event Hubs offset, Pub/Sub message id. */
  id: string;
  raw: Uint8Array;
  /** When the stream received it (e.g. Kinesis approximateArrivalTimestamp); dates payloads with no time. */
  receivedAt?: string;
}

/**
 * How a consumer takes its events:
 * - `perRecord`: called once per decodable record; a throw fails that record only (responses);
 * - `wholeBatch`: called once with every decoded event; a throw fails every decodable record,
 *   because one write covered them all (archive).
 */
export type BatchConsumer = (
  | { perRecord: (events: SmsEvent[], recordId: string) => Promise<void>; runs?: RecordRuns }
  | { wholeBatch: (events: SmsEvent[], recordIds: string[]) => Promise<void> }
) & {
  /**
   * Records `smsctl replay` published back from the archive are handled without being consumed.
   * Replay exists to re-drive the responses consumer (idempotent on the event id). Every archived
   * event already passed the stream once: the archive holds it (it is the replay's source) and
   * analytics counted it then, and metrics sinks sum, so a second count would double the day.
   */
  skipReplayed?: boolean;
};

/**
 * For a per-record consumer: consecutive records that `accepts` are handled by one `handle` call
 * with all their events (one write instead of one per record). When it throws, each of those
 * records goes through perRecord after all, so a failure still fails only its own record; both
 * must therefore be idempotent.
 */
export interface RecordRuns {
  accepts: (events: SmsEvent[]) => boolean;
  handle: (events: SmsEvent[]) => Promise<void>;
}

export interface BatchDeps {
  deadLetter: DeadLetter;
  clock: Clock;
  /** Consumer name and stream position prefix for dead-letter entries, e.g. "archive:shard-0". */
  source: string;
  /** The decoder; only tests replace it. */
  decode?: (raw: Uint8Array, context: DecodeContext) => DecodeResult;
  /** Told about every failed record (for the handler's logger); failures are otherwise only counted. */
  onError?: (recordIds: string[], error: unknown) => void;
}

export interface BatchOutcome {
  /** Ids of records to retry, in input order: the only thing a trigger reports back. */
  failedIds: string[];
  /** Undecodable records handed to the dead letter; they count as handled. */
  deadLettered: number;
  /** Events decoded from the batch. */
  events: number;
  /** Records marked as replayed that the consumer skips (skipReplayed); they count as handled. */
  replaySkipped: number;
}

interface Decoded {
  record: BatchRecord;
  receivedAt: string;
  events: SmsEvent[];
  replayed: boolean;
}

/**
 * Thrown by a consumer for a record that no retry can fix (it waited for what the record needs and
 * gave up): runBatch hands the record to the dead letter with its raw bytes and this reason instead
 * of failing it. A failed record would be retried until the stream gives up on it, and a stream's
 * on-failure destination keeps only the record's position, not its bytes.
 */
export class UnprocessableRecord extends Error {
  override name = "UnprocessableRecord";
}

/**
 * Decodes and consumes one batch, returning only the records that failed. A record that does not
 * decode goes to the dead letter with its raw bytes and the reason and is not retried (retrying
 * cannot fix it); if the dead letter itself fails, the record fails so it is not lost.
 */
export async function runBatch(
  records: BatchRecord[],
  consumer: BatchConsumer,
  deps: BatchDeps,
): Promise<BatchOutcome> {
  const decode = deps.decode ?? decodeRecord;
  const failed = new Set<string>();
  const all: Decoded[] = [];
  let deadLettered = 0;

  /** Keeps the record with its bytes and the reason; if the dead letter fails, the record fails (retried). */
  const deadLetter = async (record: BatchRecord, receivedAt: string, reason: string) => {
    try {
      await deps.deadLetter.send({
        raw: record.raw,
        // Never the record's text: a number or a body stays only in the raw bytes.
        reason: redactText(reason),
        source: `${deps.source}/${record.id}`,
        receivedAt,
      });
      deadLettered++;
    } catch (error) {
      failed.add(record.id);
      deps.onError?.([record.id], error);
    }
  };

  for (const record of records) {
    const receivedAt = record.receivedAt ?? deps.clock.now().toISOString();
    const result = decode(record.raw, { receivedAt });
    if (result.ok)
      all.push({ record, receivedAt, events: result.events, replayed: result.replayed === true });
    else await deadLetter(record, receivedAt, `${result.error.code}: ${result.error.reason}`);
  }
  const decoded = consumer.skipReplayed ? all.filter((d) => !d.replayed) : all;

  if ("perRecord" in consumer) {
    const handleOne = async ({ record, receivedAt, events }: (typeof decoded)[number]) => {
      if (events.length === 0) return;
      try {
        await consumer.perRecord(events, record.id);
      } catch (error) {
        if (error instanceof UnprocessableRecord) {
          await deadLetter(record, receivedAt, `unprocessable: ${error.message}`);
          return;
        }
        failed.add(record.id);
        deps.onError?.([record.id], error);
      }
    };
    for (let index = 0; index < decoded.length; ) {
      const run = runAt(decoded, index, consumer.runs);
      index += Math.max(run.length, 1);
      if (run.length < 2) {
        await handleOne(decoded[index - 1]);
        continue;
      }
      try {
        await consumer.runs?.handle(run.flatMap((d) => d.events));
      } catch {
        for (const one of run) await handleOne(one);
      }
    }
  } else {
    const events = decoded.flatMap((d) => d.events);
    const ids = decoded.map((d) => d.record.id);
    if (events.length > 0) {
      try {
        await consumer.wholeBatch(events, ids);
      } catch (error) {
        for (const id of ids) failed.add(id);
        deps.onError?.(ids, error);
      }
    }
  }

  return {
    failedIds: records.map((r) => r.id).filter((id) => failed.has(id)),
    deadLettered,
    events: all.reduce((sum, d) => sum + d.events.length, 0),
    replaySkipped: all.length - decoded.length,
  };
}

/** The records from `start` on that `runs` takes together (none without `runs`). */
function runAt<D extends { events: SmsEvent[] }>(
  decoded: D[],
  start: number,
  runs: RecordRuns | undefined,
): D[] {
  if (!runs) return [];
  let end = start;
  while (end < decoded.length && runs.accepts(decoded[end].events)) end++;
  return decoded.slice(start, end);
}
