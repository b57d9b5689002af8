import type { CircuitBreakerSettings } from "../campaign/circuit-breaker";
import type { EventKind, SmsEvent } from "../events/schema";
import type { CampaignStore, MetricDatum, Ports } from "../ports";
import { batchMessageReads } from "./answered-message";
import { pausedDatums, runCircuitBreaker } from "./circuit-breaker-run";
import { classifyReply } from "./classify";
import { attributeWithParking, type ParkingSettings, parkingOf } from "./parking";

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
  unattributed: "Unattributed",
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The one dimension every datum carries; events without a campaign are counted under NO_CAMPAIGN. */
export const CAMPAIGN_DIMENSION = "campaignId";
export const NO_CAMPAIGN = "none";
/** Receipts whose message the message log does not know: counted here, never dropped. */
export const UNATTRIBUTED = "unattributed";

/** Kinds counted per message; opt-outs are counted as distinct numbers instead (see Window.optedOut). */
const COUNTED: { kind: Exclude<EventKind, "opted_out">; bit: number; metric: MetricName }[] = [
  { kind: "queued", bit: 1, metric: METRIC.queued },
  { kind: "sent", bit: 2, metric: METRIC.sent },
  { kind: "delivered", bit: 4, metric: METRIC.delivered },
  { kind: "failed", bit: 8, metric: METRIC.failed },
  { kind: "received", bit: 16, metric: METRIC.received },
];
const BIT = Object.fromEntries(COUNTED.map(({ kind, bit }) => [kind, bit])) as Record<EventKind, number>;
BIT.opted_out = 0;
/** A message known to have gone out: a `sent` event, or a final status that proves the send. */
const WENT_OUT = BIT.sent | BIT.delivered | BIT.failed;

/** BIT[kind], as a switch: a kind decoded from JSON is a fresh string, which a keyed read must look up. */
function bitOf(kind: EventKind): number {
  switch (kind) {
    case "queued":
      return BIT.queued;
    case "sent":
      return BIT.sent;
    case "delivered":
      return BIT.delivered;
    case "failed":
      return BIT.failed;
    case "received":
      return BIT.received;
    default:
      return 0;
  }
}

/** What one window knows about one message (outbound, or an inbound reply). */
interface MessageState {
  /** Bit set of the kinds seen for it. */
  kinds: number;
  /** Price + carrier fee, the largest reported (every receipt repeats it); -1 while unpriced. */
  cost: number;
}

/** Everything counted for one (campaign, minute). */
interface Window {
  campaignId: string;
  /** "YYYY-MM-DDTHH:MM" in UTC. */
  minute: string;
  /** By message id (event id when the event has none): duplicates of a record count once. */
  messages: Map<string, MessageState>;
  repliers: Set<string>;
  /** Numbers that opted out, by a carrier `opted_out` event or a STOP-family reply (counted once). */
  optedOut: Set<string>;
}

/** "YYYY-MM-DDTHH:MM" of the UTC minute, sliced from the ISO string when it is already UTC. */
function minuteOf(occurredAt: string): string {
  return occurredAt.endsWith("Z") && occurredAt[16] === ":"
    ? occurredAt.slice(0, 16)
    : new Date(occurredAt).toISOString().slice(0, 16);
}

const newWindow = (campaignId: string, minute: string): Window => ({
  campaignId,
  minute,
  messages: new Map(),
  repliers: new Set(),
  optedOut: new Set(),
});

/** Windows by campaign, then by minute, plus each campaign's latest window for the common case. */
interface CampaignWindows {
  byMinute: Map<string, Window>;
  latest: Window;
}
type Windows = Map<string, CampaignWindows>;

/**
 * Whether a UTC time falls in a "YYYY-MM-DDTHH:MM" minute. One slice and one string comparison:
 * V8 compares two flat strings in one pass, where reading both char by char cost several times
 * more per event (and String#startsWith more still).
 */
function isInMinute(occurredAt: string, minute: string): boolean {
  return (
    occurredAt.charCodeAt(occurredAt.length - 1) === Z_CODE && occurredAt.slice(0, minute.length) === minute
  );
}
const Z_CODE = 90;

function windowFor(windows: Windows, campaignId: string, occurredAt: string): Window {
  const campaign = windows.get(campaignId);
  // Events arrive in time order, so most belong to their campaign's latest minute: no string to build.
  if (campaign && isInMinute(occurredAt, campaign.latest.minute)) return campaign.latest;
  const minute = minuteOf(occurredAt);
  if (!campaign) {
    const window = newWindow(campaignId, minute);
    windows.set(campaignId, { byMinute: new Map([[minute, window]]), latest: window });
    return window;
  }
  let window = campaign.byMinute.get(minute);
  if (!window) {
    window = newWindow(campaignId, minute);
    campaign.byMinute.set(minute, window);
  }
  campaign.latest = window;
  return window;
}

function count(window: Window, event: SmsEvent): void {
  if (event.kind === "opted_out") {
    window.optedOut.add(event.phoneNumber ?? event.messageId ?? event.eventId);
    return;
  }
  const key = event.messageId ?? event.eventId;
  let state = window.messages.get(key);
  if (!state) {
    state = { kinds: 0, cost: -1 };
    window.messages.set(key, state);
  }
  if (event.kind === "received" && (state.kinds & BIT.received) === 0 && event.phoneNumber) {
    window.repliers.add(event.phoneNumber);
    if (classifyReply(event.body ?? "").category === "stop") window.optedOut.add(event.phoneNumber);
  }
  state.kinds |= bitOf(event.kind);
  if (event.priceUsd !== undefined || event.carrierFeeUsd !== undefined) {
    state.cost = Math.max(state.cost, (event.priceUsd ?? 0) + (event.carrierFeeUsd ?? 0));
  }
}

const DELIVERED_INDEX = COUNTED.findIndex((counted) => counted.kind === "delivered");
const percent = (numerator: number, denominator: number) => (numerator / denominator) * 100;

function datumsOf(window: Window): MetricDatum[] {
  const counts = COUNTED.map(() => 0);
  let wentOut = 0;
  let priced = 0;
  let cost = 0;
  for (const state of window.messages.values()) {
    // Indexed, not entries(): this runs for every message, and each entry would be a new array.
    for (let i = 0; i < COUNTED.length; i++) if (state.kinds & COUNTED[i].bit) counts[i]++;
    if (state.kinds & WENT_OUT) wentOut++;
    if (state.cost >= 0) {
      priced++;
      cost += state.cost;
    }
  }

  const timestamp = `${window.minute}:00.000Z`;
  const out: MetricDatum[] = [];
  const datum = (name: MetricName, value: number, unit: MetricDatum["unit"]) =>
    out.push({ name, value, unit, dimensions: { [CAMPAIGN_DIMENSION]: window.campaignId }, timestamp });
  for (let i = 0; i < COUNTED.length; i++) if (counts[i] > 0) datum(COUNTED[i].metric, counts[i], "Count");
  if (window.optedOut.size > 0) datum(METRIC.optedOut, window.optedOut.size, "Count");

  const delivered = counts[DELIVERED_INDEX];
  if (wentOut > 0) datum(METRIC.deliveryRate, percent(delivered, wentOut), "Percent");
  if (delivered > 0) {
    datum(METRIC.responseRate, percent(window.repliers.size, delivered), "Percent");
    datum(METRIC.optOutRate, percent(window.optedOut.size, delivered), "Percent");
  }
  if (priced > 0) datum(METRIC.costPerMessage, cost / priced, "None");
  if (window.campaignId === UNATTRIBUTED) datum(METRIC.unattributed, window.messages.size, "Count");
  return out;
}

/**
 * Metrics per campaign and UTC minute, pure. Each count is the number of distinct messages with an
 * event of that kind (by message id, or event id for events without one), so a record repeated in
 * a batch counts once; Received counts distinct inbound messages; OptedOut counts distinct numbers
 * opting out by a carrier `opted_out` event or a STOP-family reply.
 *
 * Rates are only emitted when their denominator is positive:
 * - DeliveryRate = delivered / sent, where "sent" is every message with a `sent`, `delivered` or
 *   `failed` event in the window: a final status proves the send, and using `sent` events alone
 *   would exceed 100 % whenever a send and its receipt land in different batches;
 * - ResponseRate = distinct repliers / delivered; OptOutRate = opt-outs / delivered;
 * - CostPerMessage = sum of (price + carrier fee) per priced message / priced messages, in USD;
 *   all of a message's receipts repeat its price, so each message counts once.
 * A per-minute rate is a convenience for the dashboard; alarms over longer periods should use
 * metric math on the counts (SUM(Delivered) / SUM(Sent)), which stays correct across windows.
 *
 * Receipts listed in `unattributed` (their message unknown to the message log) are counted under
 * the campaign UNATTRIBUTED, with an Unattributed count of their distinct messages, so they neither
 * vanish nor skew a real campaign's rates.
 */
export function computeMetrics(
  events: SmsEvent[],
  unattributed: ReadonlySet<string> = new Set(),
): MetricDatum[] {
  const windows: Windows = new Map();
  // Most batches have no unattributed receipt: no lookup per event then.
  const anyUnattributed = unattributed.size > 0;
  for (const event of events) {
    const campaignId =
      anyUnattributed && unattributed.has(event.eventId) ? UNATTRIBUTED : (event.campaignId ?? NO_CAMPAIGN);
    count(windowFor(windows, campaignId, event.occurredAt), event);
  }
  const datums: MetricDatum[] = [];
  for (const { byMinute } of windows.values())
    for (const window of byMinute.values()) datums.push(...datumsOf(window));
  return datums;
}

/** With these ports and a `circuitBreaker` setting, analytics also runs the circuit breaker. */
export interface BreakerPorts {
  campaigns: CampaignStore;
  notifier: Ports["notifier"];
}

export interface AnalyticsSettings extends ParkingSettings {
  /** Pauses a launched campaign whose window crosses a threshold (core/processing/circuit-breaker-run.ts). */
  circuitBreaker?: CircuitBreakerSettings;
}

/**
 * Completes receipts from the message log (see attribution.ts), then emits the batch's metrics.
 * With a PendingReceiptStore, receipts still unknown are parked and counted by a later batch
 * under their campaign (or under UNATTRIBUTED once too old), removed only after the emit.
 */
export async function runAnalytics(
  events: SmsEvent[],
  ports: Pick<Ports, "metrics" | "messages"> &
    Partial<Pick<Ports, "clock" | "pendingReceipts">> &
    Partial<BreakerPorts>,
  settings: AnalyticsSettings = {},
): Promise<MetricDatum[]> {
  const attributed = await attributeWithParking(
    events,
    ports.messages,
    { clock: ports.clock },
    parkingOf("analytics", ports, settings),
  );
  const datums = computeMetrics(attributed.events, attributed.unattributed);
  if (settings.circuitBreaker && ports.campaigns && ports.notifier) {
    const outcomes = await runCircuitBreaker(
      attributed.events.filter((event) => !attributed.unattributed.has(event.eventId)),
      {
        campaigns: ports.campaigns,
        notifier: ports.notifier,
        messages: batchMessageReads(attributed.known, ports.messages),
      },
      settings.circuitBreaker,
      ports.clock?.now() ?? new Date(),
    );
    datums.push(...pausedDatums(outcomes, CAMPAIGN_DIMENSION));
  }
  if (datums.length > 0) await ports.metrics.emit(datums);
  await attributed.settle();
  return datums;
}
