/**
 * The deliverability circuit breaker, pure: which signals one batch adds to a campaign's per-minute
 * buckets, what those buckets add up to over the sliding window, and whether that crosses a
 * threshold. The effects (store, pause, notification) are in core/processing/circuit-breaker-run.ts.
 *
 * Window state lives in the campaign store's atomic counters, one per (minute, signal):
 * `breaker:2026-06-16T18:05:blocked`. Any number of consumers add to them concurrently without
 * losing a count, on every cloud, and the window is their sum over its minutes. They are kept in
 * counters items of their own, one per campaign and hour (`spring-sale#breaker#2026-06-16T18`),
 * not in the campaign's: a window reads only its own hours, so neither an item nor a read grows
 * with how long a campaign runs (a journey runs for weeks; a DynamoDB item holds 400 KB).
 */
import type { SmsEvent } from "../events/schema";
import type { BreakerRuleFigure, BreakerTrip, CampaignRecord } from "../ports";
import { classifyReply, normalizeReply, sentimentScore } from "../processing/classify";
import { classifyOptOutIntent } from "../processing/opt-out-intent";

/** What each bucket counts. Receipts are final statuses (delivered + failed); blocked is a subset of failed. */
export const BREAKER_SIGNALS = [
  "receipts",
  "delivered",
  "failed",
  "blocked",
  "opted_out",
  "complaints",
] as const;
export type BreakerSignal = (typeof BREAKER_SIGNALS)[number];

export interface BreakerThresholds {
  /** Opt-outs per delivered message, percent. */
  optOutRatePercent: number;
  /** Carrier blocks and spam verdicts per final receipt, percent. */
  carrierBlockRatePercent: number;
  /** Failed final receipts per final receipt, percent. */
  failureRatePercent: number;
  /** Complaint replies per delivered message, percent. */
  complaintRatePercent: number;
}

export interface CircuitBreakerSettings {
  enabled: boolean;
  /** Minutes the sliding window spans, ending at the newest event of the batch. */
  windowMinutes: number;
  /** A rate is judged only when its denominator holds at least this many messages. */
  minSample: number;
  thresholds: BreakerThresholds;
}

/** Defaults and their sources: see "Deliverability circuit breaker" in core/campaign/README.md. */
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerSettings = {
  enabled: true,
  windowMinutes: 60,
  minSample: 100,
  thresholds: {
    optOutRatePercent: 3,
    carrierBlockRatePercent: 2,
    failureRatePercent: 5,
    complaintRatePercent: 1,
  },
};

/** Each rule: its numerator and denominator signals and its threshold; checked in this order. */
export const BREAKER_RULES = [
  { rule: "carrier_block_rate", count: "blocked", of: "receipts", threshold: "carrierBlockRatePercent" },
  { rule: "complaint_rate", count: "complaints", of: "delivered", threshold: "complaintRatePercent" },
  { rule: "opt_out_rate", count: "opted_out", of: "delivered", threshold: "optOutRatePercent" },
  { rule: "failure_rate", count: "failed", of: "receipts", threshold: "failureRatePercent" },
] as const satisfies readonly {
  rule: string;
  count: BreakerSignal;
  of: BreakerSignal;
  threshold: keyof BreakerThresholds;
}[];
export type BreakerRule = (typeof BREAKER_RULES)[number]["rule"];

export const BREAKER_COUNTER_PREFIX = "breaker:";
/** "breaker:<YYYY-MM-DDTHH:MM>:<signal>" */
export const bucketKey = (minute: string, signal: BreakerSignal) =>
  `${BREAKER_COUNTER_PREFIX}${minute}:${signal}`;

/** "YYYY-MM-DDTHH:MM" of an instant, UTC. */
export const minuteOf = (at: string | number | Date): string => new Date(at).toISOString().slice(0, 16);

/**
 * The counters item holding a campaign's breaker counters of one hour ("YYYY-MM-DDTHH"). A campaign
 * id never holds "#" (CAMPAIGN_ID_PATTERN), so this names no campaign, and no adapter lists it: list()
 * returns records, and this id only ever has counters.
 */
export const breakerCountersId = (campaignId: string, hour: string) => `${campaignId}#breaker#${hour}`;

const HOUR_MS = 3_600_000;
const hourOf = (minute: string) => minute.slice(0, 13);

/**
 * How long after its hour (and the longest window) an hour item is kept where the store has a TTL:
 * a window ends at its batch's newest event, and carriers retry a delivery report for up to 72
 * hours, so a late batch's window still finds its hours.
 */
export const BREAKER_COUNTERS_KEPT_MS = 7 * 24 * HOUR_MS;

/** When an hour item ("YYYY-MM-DDTHH") may expire: its hour, a window and the keeping time past it. */
export const breakerCountersExpiry = (hour: string, windowMinutes: number): Date =>
  new Date(Date.parse(`${hour}:00Z`) + HOUR_MS + windowMinutes * 60_000 + BREAKER_COUNTERS_KEPT_MS);

/** One campaign's breaker delta (bucketKey names), split by the hour each counter counts in. */
export function deltasByHour(delta: Readonly<Record<string, number>>): Map<string, Record<string, number>> {
  const byHour = new Map<string, Record<string, number>>();
  for (const [name, n] of Object.entries(delta)) {
    const hour = hourOf(name.slice(BREAKER_COUNTER_PREFIX.length));
    byHour.set(hour, { ...byHour.get(hour), [name]: n });
  }
  return byHour;
}

/** The hour items a window reads: those of its first minute, its last, and every hour between. */
export function windowCountersIds(campaignId: string, window: Pick<WindowFigures, "from" | "to">): string[] {
  const ids: string[] = [];
  const last = Date.parse(`${hourOf(window.to)}:00Z`);
  for (let at = Date.parse(`${hourOf(window.from)}:00Z`); at <= last; at += HOUR_MS) {
    ids.push(breakerCountersId(campaignId, new Date(at).toISOString().slice(0, 13)));
  }
  return ids;
}

/**
 * Failure statuses that mean the carrier (or the provider on its behalf) refused the traffic as
 * unwanted, per provider format:
 * - End User Messaging v2 / Pinpoint: messageStatus / record_status CARRIER_BLOCKED and SPAM
 *   (event types TEXT_CARRIER_BLOCKED, TEXT_SPAM);
 * - Twilio: error 30007 "Message filtered" (carrier or Twilio spam filter), 30034 (unregistered
 *   A2P 10DLC number blocked) and 30032 (toll-free number not verified);
 * - ACS: a Failed delivery report whose deliveryStatusDetails says spam, or that the carrier
 *   blocked, filtered or rejected it (ACS reports the reason as text, not a code); a block by
 *   the recipient is the recipient's choice, not a verdict on the sender.
 */
const BLOCKED_STATUSES = new Set(["CARRIER_BLOCKED", "SPAM", "TEXT_CARRIER_BLOCKED", "TEXT_SPAM"]);
const TWILIO_BLOCK_CODES = /\bTwilio error (30007|30032|30034)\b/;
const SPAM_WORD = /\bspam\b/i;
const REFUSED = /\b(block(ed)?|filtered|rejected)\b/i;
const BY_CARRIER = /\bcarrier\b/i;

export function isCarrierBlock(event: SmsEvent): boolean {
  if (event.kind !== "failed") return false;
  if (event.status && BLOCKED_STATUSES.has(event.status.toUpperCase())) return true;
  const reason = event.failureReason ?? "";
  if (event.provider === "twilio") return TWILIO_BLOCK_CODES.test(reason);
  if (event.provider === "azure-acs")
    return SPAM_WORD.test(reason) || (REFUSED.test(reason) && BY_CARRIER.test(reason));
  return false;
}

/**
 * Words that make a negative reply a complaint about the messages themselves (the responses
 * consumer's "complaint" keyword pattern and the negative-sentiment lexicon's spam/fraud words).
 */
const COMPLAINT_WORDS = new Set([
  "COMPLAINT",
  "COMPLAIN",
  "SPAM",
  "SCAM",
  "FRAUD",
  "HARASSMENT",
  "HARASSING",
  "LAWSUIT",
  "SUE",
  "REPORT",
  "REPORTED",
  "UNSOLICITED",
]);

/** A reply complaining about the messages: a complaint word in a reply whose sentiment is negative. */
export function isComplaint(body: string): boolean {
  return (
    normalizeReply(body)
      .split(" ")
      .some((word) => COMPLAINT_WORDS.has(word)) && sentimentScore(body) < 0
  );
}

/** A reply that revokes consent: the STOP family, or a free-text opt-out above the engine's threshold. */
export const isOptOutReply = (body: string): boolean =>
  classifyReply(body).category === "stop" || classifyOptOutIntent(body).decision === "opt_out";

/** An event the breaker counts, with the campaign it belongs to and the minute it counts in. */
export interface BreakerEvent {
  event: SmsEvent;
  campaignId: string;
  /**
   * Receipts count in the minute they report; replies and opt-outs in the minute their message was
   * sent, so a rate is "of the messages sent in the window, how many drew an opt-out", as carriers
   * measure it.
   */
  minute: string;
}

/**
 * Per campaign, the counters one batch adds. Within the batch a message's receipt counts once, a
 * number's opt-out once and an inbound message once (a redelivered record changes nothing).
 */
export function signalCountsOf(events: readonly BreakerEvent[]): Map<string, Record<string, number>> {
  const byCampaign = new Map<string, Record<string, number>>();
  const seen = new Set<string>();
  const add = (item: BreakerEvent, signal: BreakerSignal, identity: string) => {
    const key = `${item.campaignId}|${signal}|${identity}`;
    if (seen.has(key)) return;
    seen.add(key);
    const counts = byCampaign.get(item.campaignId) ?? {};
    const name = bucketKey(item.minute, signal);
    counts[name] = (counts[name] ?? 0) + 1;
    byCampaign.set(item.campaignId, counts);
  };
  for (const item of events) {
    const { event } = item;
    const messageKey = event.messageId ?? event.eventId;
    if (event.kind === "delivered" || event.kind === "failed") {
      add(item, "receipts", messageKey);
      add(item, event.kind, messageKey);
      if (isCarrierBlock(event)) add(item, "blocked", messageKey);
    } else if (event.kind === "opted_out") {
      add(item, "opted_out", event.phoneNumber ?? messageKey);
    } else if (event.kind === "received" && event.body !== undefined) {
      if (isOptOutReply(event.body)) add(item, "opted_out", event.phoneNumber ?? messageKey);
      if (isComplaint(event.body)) add(item, "complaints", messageKey);
    }
  }
  return byCampaign;
}

export interface WindowFigures {
  /** First and last minute counted ("YYYY-MM-DDTHH:MM"). */
  from: string;
  to: string;
  totals: Record<BreakerSignal, number>;
}

/** The window's first minute: `windowMinutes - 1` before `end`, or the first whole minute after `since`. */
export function windowStart(
  end: string,
  settings: Pick<CircuitBreakerSettings, "windowMinutes">,
  since?: string,
): string {
  const fromMs = Date.parse(`${end}:00.000Z`) - (settings.windowMinutes - 1) * 60_000;
  if (!since) return minuteOf(fromMs);
  return minuteOf(Math.max(fromMs, Math.ceil(Date.parse(since) / 60_000) * 60_000));
}

/**
 * The window's totals: buckets from `windowMinutes - 1` minutes before `end` up to `end`, and none
 * that starts before `since` (the last resume), so a resumed campaign is judged on what it did
 * after the resume, not again on the window that tripped it.
 */
export function windowFigures(
  counts: Readonly<Record<string, number>>,
  end: string,
  settings: Pick<CircuitBreakerSettings, "windowMinutes">,
  since?: string,
): WindowFigures {
  const from = windowStart(end, settings, since);
  const totals = Object.fromEntries(BREAKER_SIGNALS.map((signal) => [signal, 0])) as Record<
    BreakerSignal,
    number
  >;
  for (const [name, n] of Object.entries(counts)) {
    if (!name.startsWith(BREAKER_COUNTER_PREFIX)) continue;
    const rest = name.slice(BREAKER_COUNTER_PREFIX.length);
    const minute = rest.slice(0, 16);
    const signal = rest.slice(17) as BreakerSignal;
    if (minute < from || minute > end || !(signal in totals)) continue;
    totals[signal] += n;
  }
  return { from, to: end, totals };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Each rule's figure over the window; `judged` is false while its denominator is below the minimum sample. */
export function ruleFigures(
  window: WindowFigures,
  settings: Pick<CircuitBreakerSettings, "minSample" | "thresholds">,
): BreakerRuleFigure[] {
  return BREAKER_RULES.map(({ rule, count, of, threshold }) => {
    const numerator = window.totals[count];
    const denominator = window.totals[of];
    const judged = denominator >= settings.minSample;
    const ratePercent = denominator > 0 ? round2((numerator / denominator) * 100) : 0;
    const thresholdPercent = settings.thresholds[threshold];
    return {
      rule,
      count: numerator,
      of: denominator,
      ratePercent,
      thresholdPercent,
      crossed: judged && (numerator / denominator) * 100 > thresholdPercent,
    };
  });
}

/**
 * The trip, when any judged rule's rate is above its threshold (strictly). Its id depends only on
 * the campaign and the window, so a retried batch finds the same trip and its notification keeps
 * one id.
 */
export function evaluateWindow(
  campaignId: string,
  window: WindowFigures,
  settings: Pick<CircuitBreakerSettings, "minSample" | "thresholds" | "windowMinutes">,
): BreakerTrip | undefined {
  const figures = ruleFigures(window, settings);
  const crossed = figures.filter((figure) => figure.crossed);
  if (crossed.length === 0) return undefined;
  return {
    tripId: `${campaignId}/${window.to}`,
    trippedAt: `${window.to}:00.000Z`,
    windowFrom: window.from,
    windowTo: window.to,
    windowMinutes: settings.windowMinutes,
    minSample: settings.minSample,
    reason: crossed[0].rule,
    figures,
    notified: false,
  };
}

const RULE_LABEL: Record<BreakerRule, string> = {
  carrier_block_rate: "carrier-block rate",
  complaint_rate: "complaint rate",
  opt_out_rate: "opt-out rate",
  failure_rate: "failure rate",
};
const RULE_UNIT: Record<BreakerRule, string> = {
  carrier_block_rate: "blocked of final receipts",
  complaint_rate: "complaints of delivered",
  opt_out_rate: "opt-outs of delivered",
  failure_rate: "failed of final receipts",
};

/** One line per rule: "carrier-block rate 31.5% (63 blocked of 200 final receipts), threshold 2%". */
export const describeFigure = (figure: BreakerRuleFigure): string =>
  `${RULE_LABEL[figure.rule as BreakerRule] ?? figure.rule} ${figure.ratePercent}% (${figure.count} ${
    RULE_UNIT[figure.rule as BreakerRule] ?? "of"
  } ${figure.of}), threshold ${figure.thresholdPercent}%${figure.crossed ? ": CROSSED" : ""}`;

/** The notification a trip publishes: why, with the figures, and how to lift the pause. */
export function breakerNotification(record: Pick<CampaignRecord, "campaignId">, trip: BreakerTrip) {
  const crossed = trip.figures.filter((figure) => figure.crossed);
  return {
    id: `${trip.tripId}:circuit_breaker`,
    subject: `Campaign ${record.campaignId} paused by the circuit breaker: ${RULE_LABEL[trip.reason as BreakerRule] ?? trip.reason}`,
    message: [
      `Campaign ${record.campaignId} was paused at ${trip.trippedAt}: over the ${trip.windowMinutes} minutes ${trip.windowFrom}Z-${trip.windowTo}Z, ${crossed
        .map((figure) => `${RULE_LABEL[figure.rule as BreakerRule]} was ${figure.ratePercent}%`)
        .join(" and ")}.`,
      ...trip.figures.map(describeFigure),
      `The ticker sends nothing more for it. After fixing the cause: smsctl campaign resume ${record.campaignId} --stack <stack>`,
    ].join("\n"),
    attributes: {
      kind: "circuit_breaker",
      campaignId: record.campaignId,
      reason: trip.reason,
    },
  };
}
