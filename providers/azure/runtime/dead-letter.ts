import { randomUUID } from "node:crypto";
import type { DeadLetter, DeadLetterEntry } from "../../../core/ports";
import type { MessageSender } from "./notifier";

/** The message body: JSON, with the raw record as base64 so any bytes survive. */
interface DeadLetterBody {
  raw: string;
  reason: string;
  source: string;
  receivedAt: string;
}

export const encodeDeadLetter = (entry: DeadLetterEntry): DeadLetterBody => ({
  raw: Buffer.from(entry.raw).toString("base64"),
  reason: entry.reason,
  source: entry.source,
  receivedAt: entry.receivedAt,
});

/** Reads a dead-letter message body back (tests, and whoever drains the queue). */
export const decodeDeadLetter = (body: unknown): DeadLetterEntry => {
  const parsed = (typeof body === "string" ? JSON.parse(body) : body) as DeadLetterBody;
  return {
    raw: new Uint8Array(Buffer.from(parsed.raw, "base64")),
    reason: parsed.reason,
    source: parsed.source,
    receivedAt: parsed.receivedAt,
  };
};

/**
 * Undecodable or exhausted records on a Service Bus queue (DEAD_LETTER_QUEUE). Each entry gets a
 * fresh message id: two failures of the same record are two facts, and neither may be deduplicated.
 */
export class ServiceBusDeadLetter implements DeadLetter {
  constructor(private readonly sender: MessageSender) {}

  async send(entry: DeadLetterEntry): Promise<void> {
    await this.sender.sendMessages({
      messageId: randomUUID(),
      contentType: "application/json",
      subject: entry.source,
      body: encodeDeadLetter(entry),
    });
  }
}
