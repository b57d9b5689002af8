/**
 * The GCP stack's dead-letter topic, read back through its reader subscription and sorted: a
 * function's own entry (PubSubDeadLetter: raw bytes, `source` "<consumer>:...") is undecodable by
 * that consumer; a message Pub/Sub forwarded after its maximum delivery attempts carries
 * CloudPubSubDeadLetterSourceSubscription, `<stream>-<consumer>`, and was abandoned by it.
 */
import type { v1 } from "@google-cloud/pubsub";
import { DEAD_LETTER_ATTRIBUTES } from "../../gcp/runtime/dead-letter";
import { countDeadLetter, type DeadLetterCounts, emptyDeadLetterCounts } from "../run/collect";
import { pullAll } from "./gcp-pull-all";
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
  keep?: Parameters<typeof pullAll>[3],
): Promise<DeadLetterCounts> {
  const counts = emptyDeadLetterCounts();
  await pullAll(
    subscriber,
    reader,
    ({ attributes }) => classifyGcpDeadLetter(attributes, consumerOfSubscription, counts),
    keep,
  );
  return counts;
}
