import type { DeadLetter, JourneyStore, SubscriberDirectory } from "../ports";
import type { AudienceEntry } from "./audience";
import type { JourneyEngine } from "./journey-engine";

export interface EnrollmentDeps {
  engine: JourneyEngine;
  journeys: JourneyStore;
  subscribers: SubscriberDirectory;
  deadLetter: DeadLetter;
  now: () => Date;
}

export interface EnrollmentChunk {
  journeyId: string;
  /** Where the audience came from (object key), named in every dead letter. */
  source: string;
  /** First data line of this chunk (1-based CSV line); earlier rows were handled by earlier chunks. */
  fromLine?: number;
  /** Rows this chunk may enroll before it hands over, so one invocation stays inside its time limit. */
  maxRows?: number;
}

export interface EnrollmentCounts {
  enrolled: number;
  alreadyEnrolled: number;
  deadLettered: number;
  /** The line the next chunk starts at; absent when the audience is done. */
  nextLine?: number;
}

const encoder = new TextEncoder();

/**
 * Enrolls one chunk of an audience, idempotently: a subscriber with a journey state already is
 * counted, not enrolled again, so a re-upload or a retried chunk enrolls nobody twice. Rows that
 * are not members go to the dead letter with their line and reason. The reader must start at the
 * top of the file each chunk, so duplicates are found across chunks.
 */
export async function enrollChunk(
  rows: AsyncIterable<AudienceEntry>,
  chunk: EnrollmentChunk,
  deps: EnrollmentDeps,
): Promise<EnrollmentCounts> {
  const fromLine = chunk.fromLine ?? 0;
  const counts: EnrollmentCounts = { enrolled: 0, alreadyEnrolled: 0, deadLettered: 0 };
  let handled = 0;
  for await (const row of rows) {
    if (row.line < fromLine) continue;
    if (chunk.maxRows !== undefined && handled >= chunk.maxRows) {
      counts.nextLine = row.line;
      break;
    }
    handled++;
    if (row.kind !== "member") {
      await deps.deadLetter.send({
        raw: encoder.encode(JSON.stringify(row)),
        reason: `line ${row.line}: ${row.kind}: ${row.reason}`,
        source: `enrollment:${chunk.source}#line=${row.line}`,
        receivedAt: deps.now().toISOString(),
      });
      counts.deadLettered++;
      continue;
    }
    if (await deps.journeys.get(chunk.journeyId, row.subscriber.subscriberId)) {
      counts.alreadyEnrolled++;
      continue;
    }
    await deps.subscribers.upsert(row.subscriber);
    await deps.engine.enroll(chunk.journeyId, row.subscriber);
    counts.enrolled++;
  }
  return counts;
}
