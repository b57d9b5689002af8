import type { DeadLetter, DeadLetterEntry } from "../../../core/ports";
import { attributeValue, type PublishingTopic } from "./pubsub-topic";

/** Attributes a dead-letter message carries next to its untouched bytes. */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: "reason",
  source: "source",
  receivedAt: "receivedAt",
} as const;

/** A received dead-letter message (data + attributes) back into the port's entry. */
export const decodeDeadLetterMessage = (message: {
  data: Uint8Array;
  attributes: Record<string, string>;
}): DeadLetterEntry => ({
  raw: new Uint8Array(message.data),
  reason: message.attributes[DEAD_LETTER_ATTRIBUTES.reason] ?? "",
  source: message.attributes[DEAD_LETTER_ATTRIBUTES.source] ?? "",
  receivedAt: message.attributes[DEAD_LETTER_ATTRIBUTES.receivedAt] ?? "",
});

/**
 * Undecodable records go to the dead-letter topic, never dropped: the message data is the raw
 * bytes exactly as received, the reason and origin travel as attributes. The same topic receives
 * what Pub/Sub itself dead-letters after the subscription's maximum delivery attempts.
 */
export class PubSubDeadLetter implements DeadLetter {
  constructor(private readonly topic: PublishingTopic) {}

  async send(entry: DeadLetterEntry): Promise<void> {
    await this.topic.publishMessage({
      data: Buffer.from(entry.raw),
      attributes: {
        [DEAD_LETTER_ATTRIBUTES.reason]: attributeValue(entry.reason),
        [DEAD_LETTER_ATTRIBUTES.source]: attributeValue(entry.source),
        [DEAD_LETTER_ATTRIBUTES.receivedAt]: attributeValue(entry.receivedAt),
      },
    });
  }
}
