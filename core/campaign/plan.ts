import type { AudienceEntry } from "./audience";

type AudienceMember = Extract<AudienceEntry, { kind: "member" }>;

import type { Subscriber } from "../ports";
import { Budget } from "./budget";
import { type AudienceCounts, emptyCounts, type RowIssue } from "./counts";
import { measureMessage } from "./encoding";
import { assessMeasured, type PolicyConfig, TimingMemo } from "./policy";
import { roundUsd } from "./pricing";
import { CompiledTemplate, RenderMemo } from "./template";

export interface PlanOptions {
  template: string;
  /** The moment the send would start. */
  at: Date;
  /** Message parts per second the sender allows. */
  mps: number;
  budgetUsd?: number;
  isOptedOut: (e164: string) => boolean;
  policy?: PolicyConfig;
  /** Called for every row that is not a member (invalid number, duplicate, unreadable). */
  onIssue?: (issue: RowIssue) => void;
}

export interface CampaignPlan extends AudienceCounts {
  estimatedCostUsd: number;
  estimatedDurationSeconds: number;
  /** Earliest instant a message held for quiet hours may go (ISO-8601), as a send reports it. */
  nextWindowAt?: string;
  /** Messages per placeholder that would render empty (an empty column and no {{name|fallback}}). */
  emptyPlaceholders?: Record<string, number>;
}

/** An object's own property, else what a plain object has under that name (as a spread copy reads). */
const PLAIN: Record<string, unknown> = {};

/**
 * A reader of one subscriber's placeholder values, the same as templateValuesOf's copy would give
 * (attributes, then subscriber_id), without copying per row.
 */
function placeholderReader(): { read: (name: string) => string | undefined; subscriber?: Subscriber } {
  const reader: { read: (name: string) => string | undefined; subscriber?: Subscriber } = {
    read: (name) => {
      const subscriber = reader.subscriber as Subscriber;
      if (name === "subscriber_id") return subscriber.subscriberId;
      const { attributes } = subscriber;
      return (Object.hasOwn(attributes, name) ? attributes[name] : PLAIN[name]) as string | undefined;
    },
  };
  return reader;
}

const earliest = (a: string | undefined, b: string): string => (a !== undefined && a < b ? a : b);

/** Counts the row into the tally; true when it is a member to assess further. */
export function tallyRow(
  counts: AudienceCounts,
  entry: AudienceEntry,
  onIssue?: (issue: RowIssue) => void,
): entry is AudienceMember {
  counts.audience++;
  switch (entry.kind) {
    case "member":
      return true;
    case "invalid_number":
      counts.suppressed.invalidNumber++;
      break;
    case "duplicate":
      counts.suppressed.duplicate++;
      break;
    case "bad_row":
      counts.badRows++;
      break;
  }
  onIssue?.({ line: entry.line, kind: entry.kind, reason: entry.reason });
  return false;
}

export function noteMessageShape(
  counts: AudienceCounts,
  encoding: "GSM-7" | "UCS-2",
  segments: number,
): void {
  if (encoding === "UCS-2") counts.encoding = "UCS-2";
  counts.maxSegmentsPerMessage = Math.max(counts.maxSegmentsPerMessage, segments);
}

/**
 * Predicts a campaign without sending: who is suppressed (opted out, invalid, duplicate, over
 * budget), who is held (quiet hours now, unknown time zone), and what the rest costs. The budget is
 * reserved in file order over every message with a known send time (now or after quiet hours),
 * and segments, cost and encoding cover those same messages. Streams: memory stays flat.
 */
export async function planCampaign(
  audience: AsyncIterable<AudienceEntry>,
  options: PlanOptions,
): Promise<CampaignPlan> {
  const counts = emptyCounts();
  const budget = new Budget(options.budgetUsd);
  let costUsd = 0;
  let segmentsNow = 0;
  let nextWindowAt: string | undefined;
  const emptyPlaceholders: Record<string, number> = {};
  const countBlank = (name: string) => {
    emptyPlaceholders[name] = (emptyPlaceholders[name] ?? 0) + 1;
  };
  const template = new CompiledTemplate(options.template);
  const values = placeholderReader();
  const timings = new TimingMemo(options.at);
  // Only the body's measure counts in a plan: rows with the same inserted values share it.
  const measures = new RenderMemo(template, (body) => Object.freeze(measureMessage(body)));

  for await (const entry of audience) {
    if (!tallyRow(counts, entry, options.onIssue)) continue;
    if (options.isOptedOut(entry.subscriber.phoneNumber)) {
      counts.suppressed.optedOut++;
      continue;
    }
    values.subscriber = entry.subscriber;
    template.forEachBlank(values.read, countBlank);
    const assessment = assessMeasured(
      entry.subscriber,
      entry.country,
      measures.get(values.read),
      options.policy,
    );
    noteMessageShape(counts, assessment.measure.encoding, assessment.measure.segments);
    const timing = timings.timingOf(assessment);
    if (timing.kind === "unknown_time_zone") {
      counts.held.unknownTimeZone++;
      continue;
    }
    if (!budget.tryReserve(assessment.cost.totalUsd)) {
      counts.suppressed.budget++;
      continue;
    }
    costUsd += assessment.cost.totalUsd;
    counts.totalSegments += assessment.measure.segments;
    if (timing.kind === "quiet_hours") {
      counts.held.quietHours++;
      nextWindowAt = earliest(nextWindowAt, timing.notBefore.toISOString());
    } else {
      counts.eligibleNow++;
      segmentsNow += assessment.measure.segments;
    }
  }

  return {
    audience: counts.audience,
    eligibleNow: counts.eligibleNow,
    suppressed: counts.suppressed,
    held: counts.held,
    encoding: counts.encoding,
    maxSegmentsPerMessage: counts.maxSegmentsPerMessage,
    totalSegments: counts.totalSegments,
    estimatedCostUsd: roundUsd(costUsd),
    estimatedDurationSeconds: Math.ceil(segmentsNow / options.mps),
    badRows: counts.badRows,
    ...(nextWindowAt ? { nextWindowAt } : {}),
    ...(Object.keys(emptyPlaceholders).length > 0 ? { emptyPlaceholders } : {}),
  };
}
