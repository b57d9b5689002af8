/**
 * The journey section of a local run: where the Welcome Series' subscribers went (the campaign's
 * own counters, as `smsctl campaign status` shows them) and how long people took to answer,
 * measured on the archived events: each reply against the message it answers.
 */
import type { CampaignStatusView } from "../../../core/campaign/campaign-counters";
import type { SmsEvent } from "../../../core/events/schema";
import { classifyReply } from "../../../core/processing/classify";

export interface ReplyTimes {
  /** Distinct replies that answer one of the campaign's messages. */
  replies: number;
  medianSeconds: number;
  p90Seconds: number;
}

export interface JourneySummary extends CampaignStatusView {
  launchedAt: string;
  finishedAt: string;
  intervalSeconds: number;
  ticks: number;
  busyTicks: number;
  enrollmentChunks: number;
  /** From each of the campaign's sends to the reply answering it (simulated time). */
  sendToReply: ReplyTimes;
}

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

const distinct = (events: SmsEvent[]) => [...new Map(events.map((event) => [event.eventId, event])).values()];

/** Seconds from each of the campaign's messages to the reply that names it as answered. */
export function sendToReplyOf(events: SmsEvent[], campaignId: string): ReplyTimes {
  const unique = distinct(events);
  const sentAt = new Map<string, number>();
  for (const event of unique) {
    if (event.kind === "queued" && event.campaignId === campaignId && event.messageId) {
      sentAt.set(event.messageId, Date.parse(event.occurredAt));
    }
  }
  const delays = unique
    .filter((event) => event.kind === "received" && event.inReplyTo && sentAt.has(event.inReplyTo))
    .map((event) => (Date.parse(event.occurredAt) - (sentAt.get(event.inReplyTo!) ?? 0)) / 1000)
    .sort((a, b) => a - b);
  return {
    replies: delays.length,
    medianSeconds: percentile(delays, 0.5),
    p90Seconds: percentile(delays, 0.9),
  };
}

/**
 * Messages queued to a number after that number's STOP: must be none. A STOP is an opt-out from
 * the moment it is received, whichever campaign or journey the message belonged to.
 */
export function sendsAfterOptOut(events: SmsEvent[]): number {
  const unique = distinct(events);
  const stoppedAt = new Map<string, number>();
  for (const event of unique) {
    if (event.kind !== "received" || !event.phoneNumber) continue;
    if (classifyReply(event.body ?? event.keyword ?? "").category !== "stop") continue;
    const at = Date.parse(event.occurredAt);
    stoppedAt.set(event.phoneNumber, Math.min(at, stoppedAt.get(event.phoneNumber) ?? at));
  }
  return unique.filter((event) => {
    if (event.kind !== "queued" || !event.phoneNumber) return false;
    const stop = stoppedAt.get(event.phoneNumber);
    return stop !== undefined && Date.parse(event.occurredAt) > stop;
  }).length;
}
