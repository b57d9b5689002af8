import type { CampaignStore, DeadLetter, ErasureGuard, JourneyStore, SubscriberDirectory } from "../ports";
import { redactText } from "../redact";
import type { AudienceEntry } from "./audience";
import { markEnrolled } from "./campaign";
import { CAMPAIGN_COUNTERS } from "./campaign-counters";
import type { JourneyEngine } from "./journey-engine";

export interface EnrollmentDeps {
  engine: JourneyEngine;
  journeys: JourneyStore;
  subscribers: SubscriberDirectory;
  deadLetter: DeadLetter;
  now: () => Date;
  /** Leave each first send due for the ticker (a deployed stack), instead of sending it here. */
  deferSends?: boolean;
  /** Erased numbers are skipped: a re-import does not bring them back. */
  erasures?: ErasureGuard;
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
  /** Rows of erased numbers, skipped without a trace (absent when none). */
  erased?: number;
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
        reason: redactText(`line ${row.line}: ${row.kind}: ${row.reason}`),
        source: `enrollment:${chunk.source}#line=${row.line}`,
        receivedAt: deps.now().toISOString(),
      });
      counts.deadLettered++;
      continue;
    }
    if (await deps.erasures?.isErased(row.subscriber.phoneNumber)) {
      counts.erased = (counts.erased ?? 0) + 1;
      continue;
    }
    if (await deps.journeys.get(chunk.journeyId, row.subscriber.subscriberId)) {
      counts.alreadyEnrolled++;
      continue;
    }
    await deps.subscribers.upsert(row.subscriber);
    await deps.engine.enroll(chunk.journeyId, row.subscriber, { deferSends: deps.deferSends ?? false });
    counts.enrolled++;
  }
  return counts;
}

export interface CampaignChunk {
  campaignId: string;
  fromLine?: number;
  maxRows?: number;
}

export type CampaignEnrollment =
  | ({ kind: "enrolled" } & EnrollmentCounts)
  /** The campaign was cancelled before this chunk: nobody more is enrolled. */
  | { kind: "cancelled" };

/**
 * One chunk of a launched campaign's audience: enrolls with deferred sends (the ticker sends,
 * inside the stack's MPS), adds to the campaign's counters, and marks the campaign enrolled after
 * the last chunk. The engine must know the campaign's journey (see journeyOfCampaign).
 */
export async function enrollCampaignChunk(
  rows: AsyncIterable<AudienceEntry>,
  chunk: CampaignChunk,
  deps: Omit<EnrollmentDeps, "deferSends"> & { campaigns: CampaignStore },
): Promise<CampaignEnrollment> {
  const record = await deps.campaigns.get(chunk.campaignId);
  if (!record)
    throw new Error(`no campaign record for ${chunk.campaignId}: launch it with smsctl campaign launch`);
  if (record.status === "cancelled") return { kind: "cancelled" };
  const counts = await enrollChunk(
    rows,
    {
      journeyId: record.campaignId,
      source: record.audienceKey,
      ...(chunk.fromLine === undefined ? {} : { fromLine: chunk.fromLine }),
      ...(chunk.maxRows === undefined ? {} : { maxRows: chunk.maxRows }),
    },
    { ...deps, deferSends: true },
  );
  await deps.campaigns.addCounts(record.campaignId, {
    [CAMPAIGN_COUNTERS.enrolled]: counts.enrolled,
    [CAMPAIGN_COUNTERS.alreadyEnrolled]: counts.alreadyEnrolled,
    [CAMPAIGN_COUNTERS.deadLettered]: counts.deadLettered,
  });
  if (counts.nextLine === undefined) await markEnrolled(deps.campaigns, record.campaignId, deps.now());
  return { kind: "enrolled", ...counts };
}
