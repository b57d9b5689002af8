import { encodeEvent, partitionKeyOf } from "../events/decode";
import type { SmsEvent } from "../events/schema";
import type { ArchiveStore, EventPublisher } from "../ports";
import { ARCHIVE_PREFIX, readArchiveObject } from "./archive";

export interface ReplayRange {
  /** First UTC date to replay, YYYY-MM-DD (inclusive). */
  from: string;
  /** Last UTC date to replay, YYYY-MM-DD (inclusive). */
  to: string;
  /** Only events of this campaign. */
  campaignId?: string;
}

export interface ReplayOutcome {
  objects: number;
  events: number;
  published: number;
  /** Events the publisher could not take after its own retries; the caller decides what to do. */
  failed: SmsEvent[];
}

/** Kinesis PutRecords takes at most 500 records per call; the smallest limit of the three streams. */
export const REPLAY_CHUNK = 500;
const DAY_MS = 86_400_000;
/** A real calendar date in YYYY-MM-DD form ("2026-02-30" is not: it would not survive a round trip). */
function isDate(text: string): boolean {
  const at = Date.parse(`${text}T00:00:00.000Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(at) && new Date(at).toISOString().startsWith(text);
}

/** Every UTC date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  if (!isDate(from) || !isDate(to)) {
    throw new RangeError(`dates must be YYYY-MM-DD, got "${from}" and "${to}"`);
  }
  const dates: string[] = [];
  for (let at = Date.parse(from); at <= Date.parse(to); at += DAY_MS) {
    dates.push(new Date(at).toISOString().slice(0, 10));
  }
  return dates;
}

/**
 * Reads the archived events of each date in order (oldest first, each day sorted by time) and hands
 * them to `deliver` in chunks. Shared by replayArchive and by callers that print instead of publish.
 */
export async function readArchiveRange(
  archive: ArchiveStore,
  range: ReplayRange,
  deliver: (events: SmsEvent[]) => Promise<void>,
): Promise<{ objects: number; events: number }> {
  let objects = 0;
  let count = 0;
  for (const date of datesBetween(range.from, range.to)) {
    const day: SmsEvent[] = [];
    for (const key of await archive.list(`${ARCHIVE_PREFIX}dt=${date}/`)) {
      const body = await archive.get(key);
      if (!body) continue;
      objects++;
      for (const event of await readArchiveObject(body)) {
        if (range.campaignId === undefined || event.campaignId === range.campaignId) day.push(event);
      }
    }
    day.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.eventId.localeCompare(b.eventId));
    for (let i = 0; i < day.length; i += REPLAY_CHUNK) await deliver(day.slice(i, i + REPLAY_CHUNK));
    count += day.length;
  }
  return { objects, events: count };
}

/**
 * Publishes archived events back into the stream, so every consumer can reprocess them (the
 * archive keeps a year on every cloud, longer than any stream retains). Safe to run twice: every
 * consumer is idempotent on the event id.
 */
export async function replayArchive(
  ports: { archive: ArchiveStore; publisher: EventPublisher },
  range: ReplayRange,
): Promise<ReplayOutcome> {
  const failed: SmsEvent[] = [];
  let published = 0;
  const read = await readArchiveRange(ports.archive, range, async (events) => {
    const result = await ports.publisher.publish(
      events.map((event) => ({ partitionKey: partitionKeyOf(event), data: encodeEvent(event) })),
    );
    published += events.length - result.failed.length;
    for (const index of result.failed) failed.push(events[index]);
  });
  return { ...read, published, failed };
}
