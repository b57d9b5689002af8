/**
 * A seeded campaign run's events, for the `smsctl query` tests: three campaigns over two UTC days,
 * sends with price estimates, receipts with final prices (one without, one without a number),
 * carrier opt-outs, replies (YES/STOP/HELP/free text, some naming no message, some repeated).
 * Deterministic, so every figure the tests expect is derived again from these events.
 */
import type { SmsEvent } from "../../core/events/schema";

const REPLY_BODIES = [
  "YES",
  "Stop please",
  "help",
  "Thanks, see you there!",
  "y",
  "OPT OUT",
  "no thanks",
  "STOP",
];

interface Send {
  campaignId: string;
  phoneNumber: string;
  sentAt: number;
}

const base = (eventId: string, kind: SmsEvent["kind"], at: number): SmsEvent => ({
  eventId,
  schemaVersion: 1,
  kind,
  occurredAt: new Date(at).toISOString(),
  provider: "aws-eum",
});

const phoneOf = (campaign: number, index: number) => `+1425555${campaign}${String(index).padStart(3, "0")}`;

/** spring and summer on 2026-11-24 (spring's last sends just before midnight), winter on 2026-11-25. */
function plannedSends(): Send[] {
  const sends: Send[] = [];
  const day1 = Date.parse("2026-11-24T15:00:00.000Z");
  const midnight = Date.parse("2026-11-24T23:58:00.000Z");
  const day2 = Date.parse("2026-11-25T09:00:00.000Z");
  for (let i = 0; i < 12; i++) {
    const sentAt = i < 9 ? day1 + i * 7_300 : midnight + (i - 9) * 20_125;
    sends.push({ campaignId: "spring", phoneNumber: phoneOf(1, i), sentAt });
  }
  // summer reaches spring's first three numbers again, later: their unattributed replies are summer's.
  for (let i = 0; i < 12; i++)
    sends.push({
      campaignId: "summer",
      phoneNumber: i < 3 ? phoneOf(1, i) : phoneOf(2, i),
      sentAt: day1 + 3_600_000 + i * 5_150,
    });
  for (let i = 0; i < 12; i++)
    sends.push({ campaignId: "winter", phoneNumber: phoneOf(3, i), sentAt: day2 + i * 9_875 });
  return sends;
}

/** The run's events, each once, in the order the stream would carry them. */
export function seededEvents(): SmsEvent[] {
  const events: SmsEvent[] = [];
  plannedSends().forEach((send, k) => {
    const messageId = `msg-${k}`;
    const parts = k % 4 === 3 ? 2 : 1;
    const ids = { phoneNumber: send.phoneNumber, campaignId: send.campaignId, messageId };
    events.push({
      ...base(`queued-${k}`, "queued", send.sentAt),
      ...ids,
      subscriberId: `sub-${send.phoneNumber}`,
      parts,
      priceUsd: 0.00581 * parts,
      carrierFeeUsd: 0.003 * parts,
    });
    const receiptAt = send.sentAt + 3_210;
    const billed = { parts, priceUsd: 0.00645 * parts, carrierFeeUsd: 0.0025 * parts };
    if (k % 11 === 7) {
      events.push({ ...base(`receipt-${k}`, "opted_out", receiptAt), ...ids, status: "OPTED_OUT" });
      return;
    }
    if (k % 9 === 4) {
      events.push({ ...base(`receipt-${k}`, "failed", receiptAt), ...ids, ...billed, status: "UNREACHABLE" });
      return;
    }
    const delivered: SmsEvent = {
      ...base(`receipt-${k}`, "delivered", receiptAt),
      ...ids,
      status: "DELIVERED",
    };
    // k 5: a receipt without a price (bills the estimate); k 14: one with only the message id.
    if (k !== 5) Object.assign(delivered, billed);
    if (k === 14) {
      delete delivered.phoneNumber;
      delete delivered.campaignId;
    }
    events.push(delivered);
    if (k % 3 === 0) return;
    const repliedAt = receiptAt + 30_500 + k * 13_125;
    events.push(replyOf(k, 0, send.phoneNumber, messageId, repliedAt));
    if (k % 5 === 0) events.push(replyOf(k, 1, send.phoneNumber, messageId, repliedAt + 61_750));
  });
  return events;
}

/**
 * Every fourth reply, and k 14's (summer's to a number spring reached first), names no message, as
 * Twilio's do: it belongs to the newest send to the number.
 */
function replyOf(k: number, n: number, phoneNumber: string, messageId: string, at: number): SmsEvent {
  const reply: SmsEvent = {
    ...base(`reply-${k}-${n}`, "received", at),
    phoneNumber,
    messageId: `inbound-${k}-${n}`,
    body: n === 0 ? REPLY_BODIES[k % REPLY_BODIES.length] : "Yes!",
  };
  if (k % 4 === 1 || k === 14) reply.provider = "twilio";
  else reply.inReplyTo = messageId;
  return reply;
}
