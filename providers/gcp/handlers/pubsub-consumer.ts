import type { CloudEvent } from "@google-cloud/functions-framework";
import { unwrapEnvelope } from "../../../core/events/decode";
import type { Clock, DeadLetter } from "../../../core/ports";
import { type BatchConsumer, type BatchOutcome, runBatch } from "../../../core/processing/batch";
import { redactedLog } from "./structured-log";

export interface PubSubConsumerDeps {
  deadLetter: DeadLetter;
  clock: Clock;
  /** Told about failures (the message is then retried); default a redacted structured ERROR line. */
  onError?: (recordIds: string[], error: unknown) => void;
}

/** Thrown so the Functions Framework answers 500 and Pub/Sub redelivers (then dead-letters) the message. */
export class MessageFailed extends Error {
  override name = "MessageFailed";
}

export type PubSubCloudEventHandler = (event: CloudEvent<unknown>) => Promise<BatchOutcome>;

const logError = (recordIds: string[], error: unknown) =>
  redactedLog()({ severity: "ERROR", message: "message failed", recordIds, error });

/** "archive:projects/p/subscriptions/s" (or the event's source): dead-letter entries add "/<message id>". */
const sourceOf = (consumer: string, event: CloudEvent<unknown>): string => {
  const data = event.data as { subscription?: unknown } | undefined;
  const where = typeof data?.subscription === "string" ? data.subscription : (event.source ?? "pubsub");
  return `${consumer}:${where}`;
};

/**
 * One Pub/Sub message per invocation, through core's batch runner: a message that does not decode
 * (or an event that is not a Pub/Sub CloudEvent at all) goes to the dead letter with its raw bytes
 * and the function succeeds, so Pub/Sub acknowledges it; a failure throws, so Pub/Sub retries with
 * backoff and dead-letters the message after the subscription's maximum delivery attempts.
 */
export const createPubSubConsumer = (
  consumer: string,
  batchConsumer: BatchConsumer,
  deps: PubSubConsumerDeps,
): PubSubCloudEventHandler => {
  const onError = deps.onError ?? logError;
  return async (event) => {
    const source = sourceOf(consumer, event);
    const records = unwrapEnvelope(event);
    if (!records) {
      // Not a Pub/Sub message at all: retrying cannot fix it, so keep it and acknowledge.
      await deps.deadLetter.send({
        raw: new TextEncoder().encode(JSON.stringify(event)),
        reason: "envelope: the event is not a Pub/Sub messagePublished CloudEvent",
        source: `${source}/${event.id ?? "unknown"}`,
        receivedAt: deps.clock.now().toISOString(),
      });
      return { failedIds: [], deadLettered: 1, events: 0, replaySkipped: 0 };
    }
    const outcome = await runBatch(records, batchConsumer, {
      deadLetter: deps.deadLetter,
      clock: deps.clock,
      source,
      onError,
    });
    if (outcome.failedIds.length > 0) {
      throw new MessageFailed(
        `${source}: message ${outcome.failedIds.join(", ")} failed; Pub/Sub will retry it`,
      );
    }
    return outcome;
  };
};
