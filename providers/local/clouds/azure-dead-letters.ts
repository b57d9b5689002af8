/**
 * The Azure stack's dead letter, read back and sorted by consumer: the Service Bus dead-letter
 * queue's entries (ServiceBusDeadLetter bodies; source `<consumer>:<hub>/<partition>-<sequence>`,
 * or `enrollment:<key>`), and the batches the Functions host gave up on after its retry policy.
 * A function's undecodable records count as undecodable; records it gave up on after its own
 * attempts ("failed after N attempts"), and the host's abandoned batches, as abandoned.
 */
import type { ServiceBusMessage } from "@azure/service-bus";
import { decodeDeadLetter } from "../../azure/runtime/dead-letter";
import { countDeadLetter, type DeadLetterCounts, emptyDeadLetterCounts } from "../run/collect";

/** A batch the host checkpointed past after its retries, by consumer group. */
export interface AbandonedBatch {
  consumer: string;
  records: number;
}

const GAVE_UP = /^failed after \d+ attempts/;

export function sortAzureDeadLetters(
  messages: ServiceBusMessage[],
  abandoned: AbandonedBatch[],
): DeadLetterCounts {
  const counts = emptyDeadLetterCounts();
  for (const message of messages) {
    counts.messages++;
    const entry = decodeDeadLetter(message.body);
    const consumer = entry.source.split(":")[0] || "unknown";
    countDeadLetter(GAVE_UP.test(entry.reason) ? counts.abandoned : counts.undecodable, consumer, 1);
  }
  for (const batch of abandoned) {
    counts.messages++;
    countDeadLetter(counts.abandoned, batch.consumer, batch.records);
  }
  return counts;
}
