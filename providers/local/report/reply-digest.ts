/**
 * What people said: the sentiment split of the replies and a few free-text ones to read, with
 * phone numbers masked (the report is shared; a marketer needs the words, not who wrote them).
 */
import type { SmsEvent } from "../../../core/events/schema";
import type { Sentiment } from "../../../core/ports";
import { classifyReply } from "../../../core/processing/classify";

export interface ReplySample {
  receivedAt: string;
  /** Masked: country code and area kept, then the last four digits. */
  from: string;
  body: string;
}

export interface ReplyDigest {
  sentiment: Record<Sentiment, number>;
  freeText: number;
  samples: ReplySample[];
}

const MASK = "•••";

/** "+12125551234" -> "+1212•••1234", "2125550147" -> "212•••0147"; short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  if (phone.length < 10) return `${MASK}${phone.slice(-2)}`;
  return `${phone.slice(0, phone.startsWith("+") ? 5 : 3)}${MASK}${phone.slice(-4)}`;
}

/** Phone-like digit runs a subscriber typed into a reply are masked too. */
const maskNumbersIn = (text: string) =>
  text.replace(/\+?\d[\d\s().-]{6,}\d/g, (run) => maskPhone(run.replace(/[^\d+]/g, "")));

export function replyDigestOf(events: readonly SmsEvent[], sampleSize = 5): ReplyDigest {
  const replies = [...new Map(events.map((event) => [event.eventId, event])).values()]
    .filter((event) => event.kind === "received" && event.phoneNumber)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.eventId.localeCompare(b.eventId));
  const digest: ReplyDigest = {
    sentiment: { positive: 0, neutral: 0, negative: 0 },
    freeText: 0,
    samples: [],
  };
  for (const reply of replies) {
    const classification = classifyReply(reply.body ?? reply.keyword ?? "");
    digest.sentiment[classification.sentiment]++;
    if (classification.category !== "free_text") continue;
    digest.freeText++;
    if (digest.samples.length < sampleSize) {
      digest.samples.push({
        receivedAt: reply.occurredAt,
        from: maskPhone(reply.phoneNumber ?? ""),
        body: maskNumbersIn(reply.body ?? ""),
      });
    }
  }
  return digest;
}
