/**
 * The GCP stack's dead-letter topic, read back through its reader subscription and sorted: a
 * function's own entry (PubSubDeadLetter: raw bytes, `source` "<consumer>:...") is undecodable by
 * that consumer; a message Pub/Sub forwarded after its maximum delivery attempts carries
 * CloudPubSubDeadLetterSourceSubscription, `<stream>-<consumer>`, and was abandoned by it.
 */
import type { v1 } from "@google-cloud/pubsub";
import { DEAD_LETTER_ATTRIBUTES } from "../../gcp/runtime/dead-letter";
import { countDeadLetter, type DeadLetterCounts, emptyDeadLetterCounts } from "../run/collect";
import { DEAD_LETTER_SOURCE } from "./gcp-push-driver";

/** Sorts one dead-letter message by its attributes; `consumerOfSubscription` names the consumer. */
export function classifyGcpDeadLetter(
  attributes: Record<string, string>,
  consumerOfSubscription: (subscription: string) => string,
  counts: DeadLetterCounts,
): void {
  counts.messages++;
  const abandonedBy = attributes[DEAD_LETTER_SOURCE.subscription];
  if (abandonedBy !== undefined) {
    countDeadLetter(counts.abandoned, consumerOfSubscription(abandonedBy), 1);
    return;
  }
  const source = attributes[DEAD_LETTER_ATTRIBUTES.source] ?? "unknown";
  countDeadLetter(counts.undecodable, source.split(":")[0] ?? "unknown", 1);
}

/** Reads (and acknowledges) everything on the reader subscription now. */
export async function readGcpDeadLetters(
  subscriber: v1.SubscriberClient,
  reader: string,
  consumerOfSubscription: (subscription: string) => string,
): Promise<DeadLetterCounts> {
  const counts = emptyDeadLetterCounts();
  // The emulator may answer an immediate pull empty while messages remain: stop after a few quiet pulls.
  for (let quiet = 0; quiet < 3; ) {
    const [response] = await subscriber.pull({
      subscription: reader,
      maxMessages: 1000,
      returnImmediately: true,
    });
    const received = response.receivedMessages ?? [];
    if (received.length === 0) {
      quiet++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    quiet = 0;
    for (const message of received) {
      classifyGcpDeadLetter({ ...(message.message?.attributes ?? {}) }, consumerOfSubscription, counts);
    }
    await subscriber.acknowledge({
      subscription: reader,
      ackIds: received.map((message) => message.ackId ?? ""),
    });
  }
  return counts;
}
