/**
 * What happens to one message after the carrier accepts it: its final receipt, how long the receipt
 * takes, and whether (and how) the recipient replies. A pure function of (seed, idempotency key), so a
 * seeded run is reproducible and tests can predict counts without running the carrier.
 */
import { pickWeighted, randomFor } from "../run/prng";
import type { CarrierRates } from "./rates";

/** End User Messaging v2 messageStatus values for final failures, weighted by how often carriers report them. */
export const FAILURE_STATUSES = [
  ["CARRIER_UNREACHABLE", 30],
  ["UNREACHABLE", 20],
  ["BLOCKED", 15],
  ["TTL_EXPIRED", 10],
  ["INVALID", 8],
  ["SPAM", 6],
  ["CARRIER_BLOCKED", 6],
  ["UNKNOWN", 5],
] as const;

export type FailureStatus = (typeof FAILURE_STATUSES)[number][0];
export type FinalStatus = "DELIVERED" | FailureStatus;

export const STATUS_DESCRIPTIONS: Record<FinalStatus, string> = {
  DELIVERED: "Message has been delivered to the recipient's handset",
  CARRIER_UNREACHABLE: "The recipient's carrier network had a transient error",
  UNREACHABLE: "The recipient's device is switched off or out of coverage",
  BLOCKED: "The recipient's device or carrier blocked the message",
  TTL_EXPIRED: "The message could not be delivered within its time to live",
  INVALID: "The destination phone number is not valid",
  SPAM: "The carrier identified the message as unsolicited commercial content",
  CARRIER_BLOCKED: "The recipient's carrier blocked delivery of the message",
  UNKNOWN: "The message could not be delivered for an unknown reason",
};

export type ReplyKind = "yes" | "stop" | "help" | "free_text";

/**
 * What simulated subscribers write. The free-text ones carry no opt-out intent (each classifies as
 * `none`, see `smsctl classify`), so the seeded run's opt-outs are its STOPs; the review queue has
 * its own tests (test/unit/processing/responses-intent.test.ts, test/cli/review.test.ts).
 */
export const REPLY_BODIES: Record<ReplyKind, readonly string[]> = {
  yes: ["YES", "Yes", "yes"],
  stop: ["STOP", "Stop", "stop"],
  help: ["HELP", "Help"],
  free_text: [
    "Can I move it to Friday?",
    "Thanks for the reminder",
    "What time do you open?",
    "Running 10 minutes late",
    "Can I bring a friend?",
    // Negative and complaint replies, so the notification patterns have something to match.
    "COMPLAINT the link was broken",
    "Terrible timing, I was asleep",
  ],
};

export interface ReplyFate {
  kind: ReplyKind;
  body: string;
  /** After the delivery receipt, in simulated milliseconds. */
  delayMs: number;
  /** SNS delivers this notification twice (the stream sees the same inbound message id twice). */
  duplicated: boolean;
}

export interface MessageFate {
  status: FinalStatus;
  /** After the send, in simulated milliseconds. */
  receiptDelayMs: number;
  /** The receipt bytes are garbled on the way (exercises the dead letter path). */
  poison: boolean;
  /**
   * The receipt comes as AWS documents its EventBridge events: no destinationPhoneNumber and none
   * of our context, so only the message log can attribute it.
   */
  phoneless: boolean;
  reply?: ReplyFate;
}

/** The share of receipts in the phone-less EventBridge form. */
export const PHONELESS_RECEIPT_SHARE = 0.5;

/** A delay around a median with a long right tail (log-normal-ish), never below 100 ms. */
const skewedDelay = (median: number, draw: number) =>
  Math.max(100, Math.round(median * Math.exp(1.2 * (draw - 0.5) * 2)));

const pick = <T>(items: readonly T[], draw: number) =>
  items[Math.min(items.length - 1, Math.floor(draw * items.length))];

export function decideFate(seed: number, idempotencyKey: string, rates: CarrierRates): MessageFate {
  const random = randomFor(seed, `fate:${idempotencyKey}`);
  // Always draw the same number of values in the same order, so one rate never shifts another's outcome.
  const [
    failDraw,
    statusDraw,
    latencyDraw,
    poisonDraw,
    replyDraw,
    kindDraw,
    bodyDraw,
    replyDelayDraw,
    dupDraw,
  ] = Array.from({ length: 9 }, random);
  const failed = failDraw < rates.deliveryFailureRate;
  const status: FinalStatus = failed ? pickWeighted(statusDraw, FAILURE_STATUSES) : "DELIVERED";
  // TTL expiry is only known once the TTL has run out, so it reports much later.
  const receiptMedian = status === "TTL_EXPIRED" ? rates.receiptLatencyMs * 20 : rates.receiptLatencyMs;
  const fate: MessageFate = {
    status,
    receiptDelayMs: skewedDelay(receiptMedian, latencyDraw),
    poison: poisonDraw < rates.poisonRate,
    // Its own generator, so adding it shifted none of the draws above.
    phoneless: randomFor(seed, `form:${idempotencyKey}`)() < PHONELESS_RECEIPT_SHARE,
  };
  if (status !== "DELIVERED" || replyDraw >= rates.replyRate) return fate;
  const kind = pickWeighted<ReplyKind>(kindDraw, [
    ["stop", rates.stopRate],
    ["help", rates.helpRate],
    ["free_text", rates.freeTextRate],
    ["yes", Math.max(0, 1 - rates.stopRate - rates.helpRate - rates.freeTextRate)],
  ]);
  fate.reply = {
    kind,
    body: pick(REPLY_BODIES[kind], bodyDraw),
    delayMs: skewedDelay(rates.replyDelayMs, replyDelayDraw),
    duplicated: dupDraw < rates.duplicateRate,
  };
  return fate;
}

/** What a carrier filtering a sender's traffic reports (End User Messaging v2 statuses). */
export const SPIKE_STATUSES = [
  ["CARRIER_BLOCKED", 1],
  ["SPAM", 1],
] as const satisfies readonly (readonly [FailureStatus, number])[];

/**
 * Under `--spike`: the carrier blocks this message with probability `share`, a pure function of
 * (seed, idempotency key) drawn from its own generator, so the message's other draws (and every
 * unspiked message's fate) stay as they were. A blocked message gets no reply.
 */
export function spikedFate(
  seed: number,
  idempotencyKey: string,
  fate: MessageFate,
  share: number,
): MessageFate {
  const random = randomFor(seed, `spike:${idempotencyKey}`);
  const [blockDraw, statusDraw] = [random(), random()];
  if (blockDraw >= share) return fate;
  const { reply: _, ...blocked } = fate;
  return { ...blocked, status: pickWeighted(statusDraw, SPIKE_STATUSES) };
}
