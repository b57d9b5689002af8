/** Drains a Pub/Sub subscription on the emulator: what a reader of the stack's topic would see. */
import type { v1 } from "@google-cloud/pubsub";
import { RUN_MESSAGE_ID_ATTRIBUTE } from "../chaos/journaled-topic";

type PulledMessage = { attributes: Record<string, string>; data: Uint8Array };

/**
 * A filter passing each message once by the run's id (chaos/journaled-topic.ts): after a killed
 * emulator the run publishes again what its readers had not read, and a copy may also have got
 * through. Messages without a run id (no kill in the run) all pass.
 */
export const sameMessageOnce = (): ((message: PulledMessage) => boolean) => {
  const seen = new Set<string>();
  return ({ attributes }) => {
    const runId = attributes[RUN_MESSAGE_ID_ATTRIBUTE];
    if (runId === undefined) return true;
    if (seen.has(runId)) return false;
    seen.add(runId);
    return true;
  };
};

/** Pulls (and acknowledges) everything on the subscription now, handing each message `keep` passes to `take`. */
export async function pullAll(
  subscriber: v1.SubscriberClient,
  subscription: string,
  take: (message: PulledMessage) => void,
  keep: (message: PulledMessage) => boolean = () => true,
): Promise<void> {
  // The emulator may answer an immediate pull empty while messages remain: stop after a few quiet pulls.
  for (let quiet = 0; quiet < 3; ) {
    const [response] = await subscriber.pull({ subscription, maxMessages: 1000, returnImmediately: true });
    const received = response.receivedMessages ?? [];
    if (received.length === 0) {
      quiet++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    quiet = 0;
    for (const { message } of received) {
      const pulled = {
        attributes: { ...(message?.attributes ?? {}) },
        data: Buffer.from(message?.data ?? []),
      };
      if (keep(pulled)) take(pulled);
    }
    await subscriber.acknowledge({ subscription, ackIds: received.map((message) => message.ackId ?? "") });
  }
}
