/**
 * One Pub/Sub and one Firestore emulator per test file (beforeAll), stopped by process group
 * afterwards. The emulator hosts are set in this worker's environment only, for the Google clients
 * the tests build. Set EMULATOR_LOG=1 to see the emulators' output.
 */
import { randomUUID } from "node:crypto";
import { Firestore } from "@google-cloud/firestore";
import { type Message, PubSub, type Subscription } from "@google-cloud/pubsub";
import { afterAll, beforeAll } from "vitest";
import {
  gcpEmulatorsUnavailable,
  type RunningGcpEmulator,
  startFirestoreEmulator,
  startPubSubEmulator,
} from "../../../providers/gcp/emulators";

export const PROJECT = "sms-emulated";
export const emulatorsUnavailable = gcpEmulatorsUnavailable();

export interface GcpFixture {
  firestore(): Firestore;
  pubsub(): PubSub;
}

export const useGcpEmulators = (): GcpFixture => {
  let running: RunningGcpEmulator[] = [];
  let firestore: Firestore | undefined;
  let pubsub: PubSub | undefined;
  beforeAll(async () => {
    if (emulatorsUnavailable) return;
    const log = process.env["EMULATOR_LOG"] ? (line: string) => console.log(line) : undefined;
    running = await Promise.all([startPubSubEmulator(log), startFirestoreEmulator(log)]);
    process.env["METADATA_SERVER_DETECTION"] = "none";
    process.env["PUBSUB_EMULATOR_HOST"] = running[0].host;
    process.env["FIRESTORE_EMULATOR_HOST"] = running[1].host;
    firestore = new Firestore({ projectId: PROJECT });
    pubsub = new PubSub({ projectId: PROJECT });
  }, 60_000);
  afterAll(async () => {
    await firestore?.terminate();
    await pubsub?.close();
    await Promise.all(running.map((emulator) => emulator.process.stop()));
  });
  const need = <T>(value: T | undefined): T => {
    if (!value) throw new Error("the GCP emulators are not running (used outside a test?)");
    return value;
  };
  return { firestore: () => need(firestore), pubsub: () => need(pubsub) };
};

export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Resolves `build` once, the first time it is awaited. */
export const once = <T>(build: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => {
    value ??= build();
    return value;
  };
};

export interface ReceivedMessage {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string;
  deliveryAttempt: number;
}

/**
 * A topic with a pull subscription that acknowledges and keeps everything it receives; read()
 * waits until messages stop arriving (300 ms of quiet, at most 5 s) and returns all of them.
 */
export const collectTopic = async (pubsub: PubSub, topicName: string, ordered = false) => {
  const [topic] = await pubsub.createTopic(topicName);
  const [subscription]: [Subscription, ...unknown[]] = await topic.createSubscription(
    `${topicName}-collector`,
    {
      enableMessageOrdering: ordered,
    },
  );
  const received: ReceivedMessage[] = [];
  subscription.on("message", (message: Message) => {
    received.push({
      data: message.data,
      attributes: { ...message.attributes },
      orderingKey: message.orderingKey ?? "",
      deliveryAttempt: message.deliveryAttempt,
    });
    message.ack();
  });
  const read = async (): Promise<ReceivedMessage[]> => {
    const deadline = Date.now() + 5_000;
    let seen = -1;
    while (Date.now() < deadline && (received.length === 0 || received.length !== seen)) {
      seen = received.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return [...received];
  };
  return { topic, subscription, read, close: () => subscription.close() };
};
