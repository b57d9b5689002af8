/** Drains a Pub/Sub subscription on the emulator: what a reader of the stack's topic would see. */
import type { v1 } from "@google-cloud/pubsub";

type PulledMessage = { attributes: Record<string, string>; data: Uint8Array };

/** Pulls (and acknowledges) everything on the subscription now, handing each message to `take`. */
export async function pullAll(
  subscriber: v1.SubscriberClient,
  subscription: string,
  take: (message: PulledMessage) => void,
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
      take({ attributes: { ...(message?.attributes ?? {}) }, data: Buffer.from(message?.data ?? []) });
    }
    await subscriber.acknowledge({ subscription, ackIds: received.map((message) => message.ackId ?? "") });
  }
}
