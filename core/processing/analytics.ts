import type { EventKind, SmsEvent } from "../events/schema";
import type { MetricDatum, Ports } from "../ports";
import { classifyReply } from "./classify";

/** Metric names, shared with the alarms and the dashboard so they never drift. */
export const METRIC = {
  queued: "Queued",
  sent: "Sent",
  delivered: "Delivered",
  failed: "Failed",
  optedOut: "OptedOut",
  received: "Received",
  deliveryRate: "DeliveryRate",
  responseRate: "ResponseRate",
  optOutRate: "OptOutRate",
  costPerMessage: "CostPerMessage",
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The one dimension every datum carries; events without a campaign are counted under NO_CAMPAIGN. */
export const CAMPAIGN_DIMENSION = "campaignId";
export const NO_CAMPAIGN = "none";

const COUNT_METRIC: Record<Exclude<EventKind, "opted_out">, MetricName> = {
  queued: METRIC.queued,
  sent: METRIC.sent,
  delivered: METRIC.delivered,
  failed: METRIC.failed,
  received: METRIC.received,
};

/** Everything counted for one (campaign, minute). */
interface Window {
  campaignId: string;
  minute: string;
  counts: Map<MetricName, number>;
  /** Messages known to have gone out: `sent` events plus final statuses (delivered/failed). */
  sentMessages: Set<string>;
  repliers: Set<string>;
  /** Numbers that opted out, by a carrier `opted_out` event or a STOP-family reply (counted once). */
  optedOut: Set<string>;
  costUsd: number;
  priced: number;
}

/** ISO start of the UTC minute, from the ISO string itself (no Date parsing on the hot path). */
function minuteOf(occurredAt: string): string {
  return occurredAt.endsWith("Z") && occurredAt[16] === ":"
    ? `${occurredAt.slice(0, 16)}:00.000Z`
    : `${new Date(occurredAt).toISOString().slice(0, 16)}:00.000Z`;
}

function windowFor(windows: Map<string, Window>, campaignId: string, minute: string): Window {
  const key = `${campaignId}\u0000${minute}`;
  let window = windows.get(key);
  if (!window) {
    window = {
      campaignId,
      minute,
      counts: new Map(),
      sentMessages: new Set(),
      repliers: new Set(),
      optedOut: new Set(),
      costUsd: 0,
      priced: 0,
    };
    windows.set(key, window);
  }
  return window;
}

const increment = (window: Window, name: MetricName) =>
  window.counts.set(name, (window.counts.get(name) ?? 0) + 1);

function count(window: Window, event: SmsEvent): void {
  if (event.kind !== "opted_out") increment(window, COUNT_METRIC[event.kind]);
  // A delivered or failed event proves a send even when its `sent` event fell in another batch;
  // counting the message id once keeps DeliveryRate at or below 100 %.
  if (event.kind === "sent" || event.kind === "delivered" || event.kind === "failed") {
    window.sentMessages.add(event.messageId ?? event.eventId);
  }
  if (event.kind === "opted_out") window.optedOut.add(event.phoneNumber);
  if (event.kind === "received") {
    window.repliers.add(event.phoneNumber);
    if (classifyReply(event.body ?? event.keyword ?? "").category === "stop")
      window.optedOut.add(event.phoneNumber);
  }
  if (event.priceUsd !== undefined || event.carrierFeeUsd !== undefined) {
    window.costUsd += (event.priceUsd ?? 0) + (event.carrierFeeUsd ?? 0);
    window.priced++;
  }
}

const percent = (numerator: number, denominator: number) => (numerator / denominator) * 100;

function datumsOf(window: Window): MetricDatum[] {
  const dimensions = { [CAMPAIGN_DIMENSION]: window.campaignId };
  const datum = (name: MetricName, value: number, unit: MetricDatum["unit"]): MetricDatum => ({
    name,
    value,
    unit,
    dimensions: { ...dimensions },
    timestamp: window.minute,
  });
  const out: MetricDatum[] = [];
  for (const [name, value] of window.counts) out.push(datum(name, value, "Count"));
  if (window.optedOut.size > 0) out.push(datum(METRIC.optedOut, window.optedOut.size, "Count"));

  const sent = window.sentMessages.size;
  const delivered = window.counts.get(METRIC.delivered) ?? 0;
  if (sent > 0) out.push(datum(METRIC.deliveryRate, percent(delivered, sent), "Percent"));
  if (delivered > 0) {
    out.push(datum(METRIC.responseRate, percent(window.repliers.size, delivered), "Percent"));
    out.push(datum(METRIC.optOutRate, percent(window.optedOut.size, delivered), "Percent"));
  }
  if (window.priced > 0) out.push(datum(METRIC.costPerMessage, window.costUsd / window.priced, "None"));
  return out;
}

/**
 * Metrics per campaign and UTC minute, pure. Counts are events of each kind (a replayed event id
 * in the same batch counts once); OptedOut counts distinct numbers opting out by either path.
 *
 * Rates are only emitted when their denominator is positive:
 * - DeliveryRate = delivered / sent, where "sent" is the distinct messages with a `sent`,
 *   `delivered` or `failed` event in the window (a final status proves the send; using `sent`
 *   events alone would exceed 100 % whenever the send and its receipt land in different batches);
 * - ResponseRate = distinct repliers / delivered; OptOutRate = opt-outs / delivered;
 * - CostPerMessage = (price + carrier fee) / events that carry a price, in USD.
 * A per-minute rate is a convenience for the dashboard; alarms over longer periods should use
 * metric math on the counts (SUM(Delivered) / SUM(Sent)), which stays correct across windows.
 */
export function computeMetrics(events: SmsEvent[]): MetricDatum[] {
  const windows = new Map<string, Window>();
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    count(windowFor(windows, event.campaignId ?? NO_CAMPAIGN, minuteOf(event.occurredAt)), event);
  }
  return [...windows.values()].flatMap(datumsOf);
}

export async function runAnalytics(
  events: SmsEvent[],
  ports: Pick<Ports, "metrics">,
): Promise<MetricDatum[]> {
  const datums = computeMetrics(events);
  if (datums.length > 0) await ports.metrics.emit(datums);
  return datums;
}
