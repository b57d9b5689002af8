/**
 * The figures two runs of one seeded campaign must agree on, whatever ran them: another cloud's
 * stack (same-campaign.test.ts) or the same stack under injected faults (chaos.test.ts).
 */
import type { SmsEvent } from "../../core/events/schema";
import type { RunSummary } from "../../providers/local/report/run-summary";

export interface CloudRun {
  summary: RunSummary;
  events: SmsEvent[];
}

/** Events per kind, each event id once (the archive is at-least-once). */
const distinctKinds = (events: SmsEvent[]) => {
  const ids = new Map<string, Set<string>>();
  for (const event of events) {
    const seen = ids.get(event.kind) ?? new Set<string>();
    seen.add(event.eventId);
    ids.set(event.kind, seen);
  }
  return Object.fromEntries([...ids].map(([kind, seen]) => [kind, seen.size]).sort());
};

/** The figures every cloud must agree on. */
export const comparable = ({ summary, events }: CloudRun) => ({
  kinds: distinctKinds(events),
  sent: summary.sent,
  delivered: summary.delivered,
  failed: summary.failed,
  replies: summary.replies,
  optOuts: summary.optOuts,
  deliveryRate: summary.deliveryRate,
  responseRate: summary.responseRate,
  optOutRate: summary.optOutRate,
  repliesByCategory: summary.repliesByCategory,
  responsesStored: summary.responsesStored,
  optOutsStored: summary.optOutsStored,
  // Distinct ids: SNS (standard) may deliver a replayed batch's notification twice; Service Bus drops it.
  notifications: { distinct: summary.notifications.distinct, byPattern: summary.notifications.byPattern },
  deadLettered: summary.deadLettered,
  eventsPublished: summary.eventsPublished,
  eventsArchived: summary.eventsArchived,
  campaign: summary.campaign,
  // sendToReply links a reply to the message it answers: only End User Messaging's reply says which.
  journey: {
    ...summary.journey,
    launchedAt: undefined,
    finishedAt: undefined,
    ticks: undefined,
    sendToReply: undefined,
  },
  autoReplies: summary.autoReplyCost,
});
