/**
 * The circuit breaker as the analytics consumer runs it, on every cloud: a batch's signals go into
 * per-minute counters in the campaign store (in hour items of their own, see breakerCountersId), the
 * window is summed back from the hours it spans, and a campaign whose window crosses a threshold
 * is paused (`pausedBy: "circuit_breaker"`, with the trip's figures) and announced once. The ticker
 * defers a paused campaign's journeys, so nothing more is sent for it.
 */
import { updateCampaign } from "../campaign/campaign";
import {
  type BreakerEvent,
  breakerCountersExpiry,
  breakerCountersId,
  breakerNotification,
  type CircuitBreakerSettings,
  deltasByHour,
  evaluateWindow,
  minuteOf,
  signalCountsOf,
  windowCountersIds,
  windowFigures,
  windowStart,
} from "../campaign/circuit-breaker";
import type { SmsEvent } from "../events/schema";
import type { BreakerTrip, CampaignRecord, CampaignStore, MetricDatum, Notifier } from "../ports";
import { answeredMessage, type MessageReads } from "./answered-message";

export interface CircuitBreakerPorts {
  campaigns: CampaignStore;
  notifier: Notifier;
  messages: MessageReads;
}

/** What the breaker did to one campaign in this batch. */
export interface BreakerOutcome {
  campaignId: string;
  /** "tripped": paused now; "notified": a trip paused earlier got its notification now. */
  action: "tripped" | "notified";
  trip: BreakerTrip;
}

/** The metric a trip emits (Count 1, by campaign), for an alarm on any paused campaign. */
export const CAMPAIGN_PAUSED_METRIC = "CampaignPaused";

const isSending = (record: CampaignRecord) => record.status === "running" || record.status === "enrolling";

/**
 * Each counted event with its campaign and minute. Receipts already carry their campaign (from the
 * message or the message log); a reply or an opt-out is linked to the message it answers (its
 * in-reply-to id, else the newest message to that number) and counts in that message's minute.
 */
async function linkEvents(events: readonly SmsEvent[], messages: CircuitBreakerPorts["messages"]) {
  const linked = await Promise.all(
    events.map(async (event): Promise<BreakerEvent | undefined> => {
      if (event.kind === "delivered" || event.kind === "failed") {
        return event.campaignId
          ? { event, campaignId: event.campaignId, minute: minuteOf(event.occurredAt) }
          : undefined;
      }
      if (event.kind !== "received" && event.kind !== "opted_out") return undefined;
      let campaignId = event.campaignId;
      let sentAt: string | undefined;
      if (!campaignId || event.kind === "received") {
        const source = await answeredMessage(event, messages);
        campaignId ??= source?.campaignId;
        sentAt = source?.campaignId === campaignId ? source?.sentAt : undefined;
      }
      return campaignId ? { event, campaignId, minute: minuteOf(sentAt ?? event.occurredAt) } : undefined;
    }),
  );
  return linked.filter((item): item is BreakerEvent => item !== undefined);
}

/** Adds a campaign's delta to its hour items, each atomically, each to expire once no window reads it. */
async function addBreakerCounts(
  campaigns: CampaignStore,
  campaignId: string,
  delta: Record<string, number>,
  settings: CircuitBreakerSettings,
) {
  await Promise.all(
    [...deltasByHour(delta)].map(([hour, counts]) =>
      campaigns.addCounts(breakerCountersId(campaignId, hour), counts, {
        expiresAt: breakerCountersExpiry(hour, settings.windowMinutes),
      }),
    ),
  );
}

/** The window over the campaign's counters, read from the hour items it spans and no others. */
async function readWindow(
  campaigns: CampaignStore,
  campaignId: string,
  end: string,
  settings: CircuitBreakerSettings,
  since: string | undefined,
) {
  const ids = windowCountersIds(campaignId, { from: windowStart(end, settings, since), to: end });
  const items = await Promise.all(ids.map((id) => campaigns.counts(id)));
  return windowFigures(Object.assign({}, ...items), end, settings, since);
}

/** Pauses the campaign for this trip unless it stopped sending meanwhile; the record as it is after. */
const pauseFor = (campaigns: CampaignStore, campaignId: string, trip: BreakerTrip, now: Date) =>
  updateCampaign(
    campaigns,
    campaignId,
    (record) =>
      isSending(record) ? { status: "paused", pausedBy: "circuit_breaker", breakerTrip: trip } : undefined,
    now,
  );

/** Publishes the trip's notification (stable id), then records that it went out. */
async function announce(ports: CircuitBreakerPorts, record: CampaignRecord, trip: BreakerTrip, now: Date) {
  await ports.notifier.publish(breakerNotification(record, trip));
  await updateCampaign(
    ports.campaigns,
    record.campaignId,
    (current) =>
      current.breakerTrip?.tripId === trip.tripId && !current.breakerTrip.notified
        ? { breakerTrip: { ...current.breakerTrip, notified: true } }
        : undefined,
    now,
  );
}

/**
 * Runs the breaker over one (attributed) batch. Idempotent where it matters: a retried batch finds
 * the campaign paused already, so it neither counts again nor pauses again, and only publishes the
 * notification if the first attempt failed before it went out (with the same id). Counting before
 * the pause is at least once, like every metric: a batch retried before its campaign tripped adds
 * its counts twice, which can only trip earlier.
 */
export async function runCircuitBreaker(
  events: readonly SmsEvent[],
  ports: CircuitBreakerPorts,
  settings: CircuitBreakerSettings,
  now: Date,
): Promise<BreakerOutcome[]> {
  if (!settings.enabled) return [];
  const linked = await linkEvents(events, ports.messages);
  const deltas = signalCountsOf(linked);
  const newest = new Map<string, string>();
  for (const { event, campaignId } of linked) {
    const minute = minuteOf(event.occurredAt);
    if ((newest.get(campaignId) ?? "") < minute) newest.set(campaignId, minute);
  }

  const outcomes: BreakerOutcome[] = [];
  for (const [campaignId, delta] of deltas) {
    const record = await ports.campaigns.get(campaignId);
    // Only launched campaigns have a record to pause; a one-off `smsctl campaign send` has none.
    if (!record) continue;
    if (record.pausedBy === "circuit_breaker" && record.breakerTrip && !record.breakerTrip.notified) {
      await announce(ports, record, record.breakerTrip, now);
      outcomes.push({ campaignId, action: "notified", trip: { ...record.breakerTrip, notified: true } });
      continue;
    }
    if (!isSending(record)) continue;
    await addBreakerCounts(ports.campaigns, campaignId, delta, settings);
    const end = newest.get(campaignId) as string;
    const window = await readWindow(ports.campaigns, campaignId, end, settings, record.resumedAt);
    const trip = evaluateWindow(campaignId, window, settings);
    if (!trip) continue;
    const paused = await pauseFor(ports.campaigns, campaignId, trip, now);
    // Another consumer (or an operator) got there first: whoever paused it announces it.
    if (paused.breakerTrip?.tripId !== trip.tripId || paused.pausedBy !== "circuit_breaker") continue;
    await announce(ports, paused, trip, now);
    outcomes.push({ campaignId, action: "tripped", trip: { ...trip, notified: true } });
  }
  return outcomes;
}

/** One CampaignPaused datum per trip, at the trip's minute. */
export const pausedDatums = (outcomes: readonly BreakerOutcome[], dimension: string): MetricDatum[] =>
  outcomes
    .filter((outcome) => outcome.action === "tripped")
    .map((outcome) => ({
      name: CAMPAIGN_PAUSED_METRIC,
      value: 1,
      unit: "Count",
      dimensions: { [dimension]: outcome.campaignId },
      timestamp: `${outcome.trip.windowTo}:00.000Z`,
    }));
