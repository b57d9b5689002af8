/**
 * The figures of a local run: what the dashboard prints, summary.json holds and report.html draws.
 * Totals are computed from the events as the archive handler stored them (read back from Parquet),
 * so they show what a SQL query over the archive would show.
 */
import type { SmsEvent } from "../../../core/events/schema";
import { classifyReply } from "../../../core/processing/classify";

export interface Totals {
  sent: number;
  delivered: number;
  failed: number;
  replies: number;
  optOuts: number;
  /** Percent of sent messages with a DELIVERED receipt. */
  deliveryRate: number;
  /** Percent of delivered messages that got a reply (distinct repliers). */
  responseRate: number;
  /** Percent of delivered messages whose recipient opted out. */
  optOutRate: number;
  costUsd: number;
  costPerMessageUsd: number;
  failuresByStatus: Record<string, number>;
  repliesByCategory: Record<string, number>;
  costByCountry: Record<string, number>;
}

export interface TimelinePoint {
  /** ISO minute (UTC, simulated time). */
  minute: string;
  sent: number;
  delivered: number;
  failed: number;
  replies: number;
  optOuts: number;
}

export interface AlarmState {
  name: string;
  metric: string;
  comparison: "<" | ">";
  threshold: number;
  value: number;
  unit: string;
  fired: boolean;
}

const percent = (numerator: number, denominator: number) =>
  denominator === 0 ? 0 : Math.round((numerator / denominator) * 10_000) / 100;
const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};
const roundUsd = (usd: number) => Math.round(usd * 1e6) / 1e6;

/**
 * A message counts as sent once the carrier accepted it (`queued`, published by the campaign) or
 * any status about it arrived; one whose receipt never came still counts, as not delivered.
 */
const isSendEvidence = (event: SmsEvent) =>
  event.kind === "queued" || event.kind === "sent" || event.kind === "delivered" || event.kind === "failed";

export function totalsOf(events: SmsEvent[]): Totals {
  const unique = new Map(events.map((event) => [event.eventId, event]));
  const sentMessages = new Set<string>();
  const repliers = new Set<string>();
  const optedOut = new Set<string>();
  const totals: Totals = {
    sent: 0,
    delivered: 0,
    failed: 0,
    replies: 0,
    optOuts: 0,
    deliveryRate: 0,
    responseRate: 0,
    optOutRate: 0,
    costUsd: 0,
    costPerMessageUsd: 0,
    failuresByStatus: {},
    repliesByCategory: {},
    costByCountry: {},
  };
  for (const event of unique.values()) {
    if (isSendEvidence(event)) sentMessages.add(event.messageId ?? event.eventId);
    if (event.kind === "delivered") totals.delivered++;
    if (event.kind === "failed") {
      totals.failed++;
      bump(totals.failuresByStatus, event.status ?? "UNKNOWN");
    }
    if (event.kind === "opted_out") optedOut.add(event.phoneNumber ?? event.messageId ?? event.eventId);
    if (event.kind === "received" && event.phoneNumber) {
      totals.replies++;
      repliers.add(event.phoneNumber);
      const category = classifyReply(event.body ?? event.keyword ?? "").category;
      bump(totals.repliesByCategory, category);
      if (category === "stop") optedOut.add(event.phoneNumber);
    }
    // Receipts carry the final price; counting `sent` events too would bill a message twice.
    if (event.kind === "delivered" || event.kind === "failed") {
      const cost = (event.priceUsd ?? 0) + (event.carrierFeeUsd ?? 0);
      totals.costUsd += cost;
      bump(totals.costByCountry, event.countryCode ?? "??", cost);
    }
  }
  totals.sent = sentMessages.size;
  totals.optOuts = optedOut.size;
  totals.deliveryRate = percent(totals.delivered, totals.sent);
  totals.responseRate = percent(repliers.size, totals.delivered);
  totals.optOutRate = percent(totals.optOuts, totals.delivered);
  totals.costUsd = roundUsd(totals.costUsd);
  totals.costPerMessageUsd = totals.sent === 0 ? 0 : roundUsd(totals.costUsd / totals.sent);
  for (const country of Object.keys(totals.costByCountry)) {
    totals.costByCountry[country] = roundUsd(totals.costByCountry[country]);
  }
  return totals;
}

/** Per simulated minute, for the "rates over time" chart. */
export function timelineOf(events: SmsEvent[]): TimelinePoint[] {
  const byMinute = new Map<string, TimelinePoint>();
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    const minute = `${new Date(event.occurredAt).toISOString().slice(0, 16)}:00Z`;
    let point = byMinute.get(minute);
    if (!point) {
      point = { minute, sent: 0, delivered: 0, failed: 0, replies: 0, optOuts: 0 };
      byMinute.set(minute, point);
    }
    if (event.kind === "queued" || event.kind === "sent") point.sent++;
    if (event.kind === "delivered") point.delivered++;
    if (event.kind === "failed") point.failed++;
    if (event.kind === "opted_out") point.optOuts++;
    if (event.kind === "received") {
      point.replies++;
      if (classifyReply(event.body ?? event.keyword ?? "").category === "stop") point.optOuts++;
    }
  }
  return [...byMinute.values()].sort((a, b) => a.minute.localeCompare(b.minute));
}

export interface AlarmThresholds {
  deliveryRatePercent: number;
  optOutRatePercent: number;
  iteratorAgeMs: number;
}

/** The three alarms the AWS stack defines, evaluated on the run's totals. */
export function evaluateAlarms(
  totals: Totals,
  maxIteratorAgeMs: number,
  thresholds: AlarmThresholds,
): AlarmState[] {
  const alarm = (
    name: string,
    metric: string,
    comparison: "<" | ">",
    threshold: number,
    value: number,
    unit: string,
  ): AlarmState => ({
    name,
    metric,
    comparison,
    threshold,
    value,
    unit,
    fired: comparison === "<" ? value < threshold : value > threshold,
  });
  return [
    alarm("delivery-rate-low", "DeliveryRate", "<", thresholds.deliveryRatePercent, totals.deliveryRate, "%"),
    alarm("opt-out-rate-high", "OptOutRate", ">", thresholds.optOutRatePercent, totals.optOutRate, "%"),
    alarm(
      "iterator-age-high",
      "GetRecords.IteratorAgeMilliseconds",
      ">",
      thresholds.iteratorAgeMs / 1000,
      Math.round(maxIteratorAgeMs / 100) / 10,
      "s",
    ),
  ];
}
