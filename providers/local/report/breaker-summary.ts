/**
 * The circuit breaker's part of the run's report: whether it ran, the spike, the pause (when, why,
 * the figures) and the sends it saved.
 */
import type { JourneyStep } from "../../../core/campaign/journey";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { recipientZones } from "../../../core/campaign/time-zone";
import type { BreakerRuleFigure, CampaignRecord, JourneyState } from "../../../core/ports";
import type { AudienceMember } from "../bootstrap/audience";

export interface BreakerSummary {
  /** Whether the analytics function ran the circuit breaker. */
  enabled: boolean;
  /** The share of the Welcome Series' messages the simulated carrier blocked (--spike); 0 = none. */
  spikeShare: number;
  /** Messages the spike blocked. */
  spikeBlocked: number;
  /** The campaign the breaker paused, and how; absent when it did not trip. */
  pause?: {
    campaignId: string;
    /** The end of the window that tripped (simulated time). */
    at: string;
    reason: string;
    window: { from: string; to: string; minutes: number; minSample: number };
    figures: BreakerRuleFigure[];
    notified: boolean;
  };
  /**
   * Sends the campaign would still have made: for each of its journeys still waiting when the run
   * ended, the send steps left on its path, following the reply the seeded carrier gives each
   * send (a STOP ends it, a keyword takes its branch, else the timeout). Journeys held for an
   * unknown time zone are left out: they would not have sent in the run either.
   */
  sendsSaved: number;
}

/** The reply a send step would draw ("STOP", "YES", ...), or undefined for none. */
export type ReplyOracle = (sendStepId: string) => string | undefined;

/**
 * Send steps from `stepId` on: straight on; after a send whose reply is STOP, nothing more; a
 * branch by the last reply's keyword, else by its timeout; until an end or the last step.
 */
export function sendsLeft(
  steps: readonly JourneyStep[],
  stepId: string,
  replyTo: ReplyOracle = () => undefined,
): number {
  const index = new Map(steps.map((step, i) => [step.id, i]));
  let sends = 0;
  let lastReply: string | undefined;
  let at = index.get(stepId);
  const visited = new Set<number>();
  while (at !== undefined && at < steps.length && !visited.has(at)) {
    visited.add(at);
    const step = steps[at];
    if (step.type === "end") break;
    if (step.type === "send") {
      sends++;
      lastReply = replyTo(step.id);
      if (lastReply === "STOP") break;
    }
    at = step.type === "branch" ? index.get((lastReply && step.on[lastReply]) || step.onTimeout) : at + 1;
  }
  return sends;
}

/** Whether the run could ever send to this subscriber: a zone is known (record, area code or country). */
const zoneKnown = (member: AudienceMember) => {
  const parsed = normalizePhoneNumber(member.phoneNumber);
  return (
    parsed?.e164 !== undefined && recipientZones(parsed.e164, parsed.country, member.timeZone) !== undefined
  );
};

export function breakerSummaryOf(input: {
  enabled: boolean;
  spikeShare: number;
  spikeBlocked: number;
  record: CampaignRecord | undefined;
  waiting: readonly JourneyState[];
  audience: readonly AudienceMember[];
  /** The reply the seeded carrier gives a subscriber's send of a step (see SimulatedCarrier.fateOf). */
  replyOf: (subscriberId: string, stepId: string) => string | undefined;
}): BreakerSummary {
  const { record } = input;
  const trip = record?.pausedBy === "circuit_breaker" ? record.breakerTrip : undefined;
  const summary: BreakerSummary = {
    enabled: input.enabled,
    spikeShare: input.spikeShare,
    spikeBlocked: input.spikeBlocked,
    sendsSaved: 0,
  };
  if (!record || !trip) return summary;
  const members = new Map(input.audience.map((member) => [member.subscriberId, member]));
  for (const state of input.waiting) {
    if (state.journeyId !== record.campaignId || state.status === "done") continue;
    const member = members.get(state.subscriberId);
    if (member && !zoneKnown(member)) continue;
    summary.sendsSaved += sendsLeft(record.steps, state.stepId, (stepId) =>
      input.replyOf(state.subscriberId, stepId),
    );
  }
  summary.pause = {
    campaignId: record.campaignId,
    at: trip.trippedAt,
    reason: trip.reason,
    window: {
      from: trip.windowFrom,
      to: trip.windowTo,
      minutes: trip.windowMinutes,
      minSample: trip.minSample,
    },
    figures: trip.figures,
    notified: trip.notified,
  };
  return summary;
}
