import type { CampaignRecord } from "../ports";
import type { DispatchOutcome } from "./dispatch";

/** The counters a campaign keeps in its store; the ticker, enrollment and reply routing add to them. */
export const CAMPAIGN_COUNTERS = {
  enrolled: "enrolled",
  alreadyEnrolled: "already_enrolled",
  deadLettered: "dead_lettered",
  sent: "sent",
  parts: "parts",
  failed: "failed",
  stopped: "stopped",
  completed: "completed",
  cancelled: "cancelled",
  /** Every journey that finished, however: waiting = enrolled − ended. */
  ended: "ended",
} as const;

export const replyCounter = (keyword: string): string => `reply:${keyword}`;

/** The counters one send outcome adds; a resend of an already-sent step adds nothing. */
export function outcomeCounts(stepId: string, outcome: DispatchOutcome): Record<string, number> {
  switch (outcome.kind) {
    case "sent":
      return {
        [CAMPAIGN_COUNTERS.sent]: 1,
        [`sent:${stepId}`]: 1,
        [CAMPAIGN_COUNTERS.parts]: outcome.segments,
      };
    case "held":
      return { [`held:${outcome.reason}`]: 1 };
    case "suppressed":
      return { [`suppressed:${outcome.reason}`]: 1 };
    case "failed":
      return { [CAMPAIGN_COUNTERS.failed]: 1 };
    default:
      return {};
  }
}

/** Sums counters into `into`, for a tick that batches its writes per campaign. */
export function addInto(into: Record<string, number>, delta: Readonly<Record<string, number>>): void {
  for (const [name, n] of Object.entries(delta)) into[name] = (into[name] ?? 0) + n;
}

export interface CampaignStatusView {
  campaignId: string;
  journey: string;
  status: CampaignRecord["status"];
  enrollment: "in progress" | "complete";
  enrolled: number;
  alreadyEnrolled: number;
  deadLettered: number;
  sent: number;
  sentByStep: Record<string, number>;
  parts: number;
  failed: number;
  held: Record<string, number>;
  suppressed: Record<string, number>;
  /** Journeys not yet ended: still waiting on a step, a wait or a reply. */
  waiting: number;
  done: { completed: number; stopped: number; cancelled: number };
  replies: Record<string, number>;
  /** While paused: who paused it (an operator, or the circuit breaker). */
  pausedBy?: CampaignRecord["pausedBy"];
  /** The circuit breaker's last trip, with its figures (kept after a resume). */
  breakerTrip?: CampaignRecord["breakerTrip"];
}

const withPrefix = (counts: Readonly<Record<string, number>>, prefix: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(counts)
      .filter(([name, n]) => name.startsWith(prefix) && n !== 0)
      .map(([name, n]) => [name.slice(prefix.length), n]),
  );

/** What `smsctl campaign status` shows: the record's state and its counters, named for a marketer. */
export function campaignStatusView(
  record: CampaignRecord,
  counts: Readonly<Record<string, number>>,
): CampaignStatusView {
  const n = (name: string) => counts[name] ?? 0;
  return {
    campaignId: record.campaignId,
    journey: record.journeyName,
    status: record.status,
    enrollment: record.enrolledAt ? "complete" : "in progress",
    enrolled: n(CAMPAIGN_COUNTERS.enrolled),
    alreadyEnrolled: n(CAMPAIGN_COUNTERS.alreadyEnrolled),
    deadLettered: n(CAMPAIGN_COUNTERS.deadLettered),
    sent: n(CAMPAIGN_COUNTERS.sent),
    sentByStep: withPrefix(counts, "sent:"),
    parts: n(CAMPAIGN_COUNTERS.parts),
    failed: n(CAMPAIGN_COUNTERS.failed),
    held: withPrefix(counts, "held:"),
    suppressed: withPrefix(counts, "suppressed:"),
    waiting: Math.max(0, n(CAMPAIGN_COUNTERS.enrolled) - n(CAMPAIGN_COUNTERS.ended)),
    done: {
      completed: n(CAMPAIGN_COUNTERS.completed),
      stopped: n(CAMPAIGN_COUNTERS.stopped),
      cancelled: n(CAMPAIGN_COUNTERS.cancelled),
    },
    replies: withPrefix(counts, "reply:"),
    ...(record.pausedBy ? { pausedBy: record.pausedBy } : {}),
    ...(record.breakerTrip ? { breakerTrip: record.breakerTrip } : {}),
  };
}
