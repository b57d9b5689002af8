import { encodeReplayedEvent, partitionKeyOf } from "../events/decode";
import type { SmsEvent } from "../events/schema";
import type { ArchiveStore, EventPublisher, MessageLog } from "../ports";
import { ARCHIVE_PREFIX, readArchiveObject } from "./archive";
import { linkReply, sentMessageOf } from "./responses";

export interface ReplayRange {
  /** First UTC date to replay, YYYY-MM-DD (inclusive). */
  from: string;
  /** Last UTC date to replay, YYYY-MM-DD (inclusive). */
  to: string;
  /** Only events of this campaign; replies (which carry no campaign) are linked as the consumers link them. */
  campaignId?: string;
}

/** Where replay reads from. `messages` links replies to campaigns; fed from the range's own sends. */
export interface ReplaySource {
  archive: ArchiveStore;
  messages: MessageLog;
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

/** The dates of a range, oldest first; a range that ends before it starts is an error, not empty. */
export function replayDates(range: ReplayRange): string[] {
  const dates = datesBetween(range.from, range.to);
  if (dates.length === 0)
    throw new RangeError(`the range ends on ${range.to}, before it starts on ${range.from}`);
  return dates;
}

/** The key prefix of one day's archive objects: events/dt=YYYY-MM-DD/. */
export const archiveDayPrefix = (date: string): string => `${ARCHIVE_PREFIX}dt=${date}/`;

/**
 * Keeps the campaign's events. Events are seen in time order, so every send is in the log before
 * the replies to it, which are then linked exactly as the responses consumer links them.
 */
function campaignFilter(campaignId: string | undefined, messages: MessageLog) {
  if (campaignId === undefined) return async () => true;
  return async (event: SmsEvent): Promise<boolean> => {
    const sent = sentMessageOf(event);
    if (sent) await messages.record(sent);
    if (event.kind !== "received") return event.campaignId === campaignId;
    return (await linkReply(event, messages)).campaignId === campaignId;
  };
}

async function readDay(
  archive: ArchiveStore,
  date: string,
): Promise<{ objects: number; events: SmsEvent[] }> {
  let objects = 0;
  const events: SmsEvent[] = [];
  for (const key of await archive.list(archiveDayPrefix(date))) {
    const body = await archive.get(key);
    if (!body) continue;
    objects++;
    events.push(...(await readArchiveObject(body)));
  }
  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.eventId.localeCompare(b.eventId));
  return { objects, events };
}

/**
 * Reads the archived events of each date in order (oldest first, each day sorted by time) and hands
 * them to `deliver` in chunks. Shared by replayArchive and by callers that print instead of publish.
 */
export async function readArchiveRange(
  source: ReplaySource,
  range: ReplayRange,
  deliver: (events: SmsEvent[]) => Promise<void>,
): Promise<{ objects: number; events: number }> {
  const keep = campaignFilter(range.campaignId, source.messages);
  let objects = 0;
  let count = 0;
  for (const date of replayDates(range)) {
    const read = await readDay(source.archive, date);
    objects += read.objects;
    const day: SmsEvent[] = [];
    for (const event of read.events) if (await keep(event)) day.push(event);
    for (let i = 0; i < day.length; i += REPLAY_CHUNK) await deliver(day.slice(i, i + REPLAY_CHUNK));
    count += day.length;
  }
  return { objects, events: count };
}

/**
 * Publishes archived events back into the stream (the archive keeps a year on every cloud, longer
 * than any stream retains), each record marked as replayed (encodeReplayedEvent). The mark is what
 * makes a replay safe to run any number of times, also over a day already processed:
 * - responses reprocesses them, idempotent on the event id: a day whose replies a consumer bug
 *   dead-lettered gets its responses, opt-outs and notifications; a processed day is unchanged;
 * - archive skips them: it is the replay's source and already holds every one;
 * - analytics skips them: it counted each event when it first passed the stream, and metrics sinks
 *   sum, so counting again would double the day (core/processing/batch.ts, skipReplayed).
 */
export async function replayArchive(
  ports: ReplaySource & { publisher: EventPublisher },
  range: ReplayRange,
): Promise<ReplayOutcome> {
  const failed: SmsEvent[] = [];
  let published = 0;
  const read = await readArchiveRange(ports, range, async (events) => {
    const result = await ports.publisher.publish(
      events.map((event) => ({ partitionKey: partitionKeyOf(event), data: encodeReplayedEvent(event) })),
    );
    published += events.length - result.failed.length;
    for (const index of result.failed) failed.push(events[index]);
  });
  return { ...read, published, failed };
}
