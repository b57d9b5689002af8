/**
 * `--chaos kill=pubsub` on the real emulator: Google's Pub/Sub emulator SIGKILLed while a push
 * driver consumes an ordered subscription and the publisher keeps publishing, restarted empty on
 * the same port, the topic and subscription declared again; the journaled topic publishes again
 * what the consumer had not finished. The consumer (a function the test plays) must see every
 * message exactly once, each ordering key in publish order, and the messages it had finished must
 * not come back although the restarted emulator numbers its message ids from 1 again.
 */
import { PubSub } from "@google-cloud/pubsub";
import { afterAll, describe, expect, it } from "vitest";
import {
  gcpEmulatorsUnavailable,
  type RunningGcpEmulator,
  startPubSubEmulator,
} from "../../../providers/gcp/emulators";
import { JournaledTopic } from "../../../providers/local/chaos/journaled-topic";
import { crashPubSub } from "../../../providers/local/chaos/pubsub-crash";
import { StreamOutage } from "../../../providers/local/chaos/stream-outage";
import type { PushRequestBody } from "../../../providers/local/clouds/gcp-function-server";
import { PushDriver } from "../../../providers/local/clouds/gcp-push-driver";
import { emulatorSubscriber } from "../../../providers/local/clouds/gcp-resources";

const unavailable = gcpEmulatorsUnavailable();
const describeWithEmulator = unavailable ? describe.skip : describe;
if (unavailable) {
  describe("Pub/Sub emulator crash", () => {
    it.skip(`skipped: ${unavailable}`, () => {});
  });
}

const PROJECT = "sms-crash";
const SETTINGS = { maxDeliveryAttempts: 100, minimumBackoffSeconds: 0, maximumBackoffSeconds: 1 };
const KEYS = ["+15550000001", "+15550000002", "+15550000003"];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const waitFor = async (condition: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describeWithEmulator("the Pub/Sub emulator killed mid-stream (SIGKILL, restarted empty)", () => {
  it("delivers every message once, in order per key, and republishes only what was not finished", async () => {
    let emulator: RunningGcpEmulator = await startPubSubEmulator();
    cleanups.push(() => emulator.process.stop());
    process.env["METADATA_SERVER_DETECTION"] = "none";
    process.env["PUBSUB_EMULATOR_HOST"] = emulator.host;
    const pubsub = new PubSub({ projectId: PROJECT });
    const subscriber = emulatorSubscriber(emulator.host);
    cleanups.push(
      () => pubsub.close(),
      () => subscriber.close(),
    );
    const declare = async () => {
      const [topic] = await pubsub.createTopic("events");
      await topic.createSubscription("events-consumer", {
        enableMessageOrdering: true,
        ackDeadlineSeconds: 10,
      });
      await pubsub.createTopic("dead-letters");
    };
    await declare();

    const eventsOutage = new StreamOutage();
    const sideOutage = new StreamOutage();
    const events = new JournaledTopic(pubsub.topic("events", { messageOrdering: true }), {
      outage: eventsOutage,
      journal: true,
    });
    const deadLetters = new JournaledTopic(pubsub.topic("dead-letters"), {
      outage: sideOutage,
      journal: true,
    });
    // The function: takes the first 12 messages, refuses the rest until the driver has answered
    // what it held after the crash, so those are unfinished and lost with the emulator.
    const taken: { id: string; data: string; key: string }[] = [];
    let refuseAfter12 = true;
    const push = async (body: PushRequestBody) => {
      if (refuseAfter12 && taken.length >= 12) return 503;
      taken.push({
        id: body.message.messageId,
        data: Buffer.from(body.message.data, "base64").toString(),
        key: body.message.orderingKey ?? "",
      });
      return 204;
    };
    const driver = new PushDriver({
      subscriber,
      subscription: `projects/${PROJECT}/subscriptions/events-consumer`,
      settings: SETTINGS,
      push,
      deadLetterTopic: deadLetters,
      outage: eventsOutage,
      idlePollMs: 10,
    });
    cleanups.push(() => driver.stop());
    driver.start();

    const published: Promise<string>[] = [];
    const publish = (count: number, from: number) => {
      for (let n = from; n < from + count; n++) {
        const key = KEYS[n % KEYS.length] ?? "";
        published.push(events.publishMessage({ data: Buffer.from(`m${n}`), orderingKey: key }));
      }
    };
    publish(30, 0);
    await Promise.all(published);
    await waitFor(() => taken.length >= 12);

    const recovery = crashPubSub({
      eventsOutage,
      sideOutage,
      events,
      sideTopics: [deadLetters],
      crash: async () => {
        await emulator.process.kill();
        // Published while it is down: held, then accepted by the restarted emulator.
        publish(15, 30);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const port = Number(emulator.host.split(":").at(-1));
        emulator = await startPubSubEmulator(undefined, port);
      },
      redeclare: declare,
      consumersQuiet: async () => {
        await driver.quiet();
        refuseAfter12 = false;
      },
      finishedByAll: (id) => driver.done.has(id),
    });
    const { eventsRepublished } = await recovery;
    const ids = await Promise.all(published);
    await driver.settle(ids);

    expect(eventsRepublished).toBe(30 - 12);
    expect(new Set(ids).size).toBe(45);
    // Each message once, under the id its publish answered.
    expect(taken.map((message) => message.id).sort()).toEqual([...ids].sort());
    for (const key of KEYS) {
      const numbers = taken.filter((message) => message.key === key).map((m) => Number(m.data.slice(1)));
      expect(numbers, key).toEqual([...numbers].sort((a, b) => a - b));
    }
    expect(driver.stats().recordsRead).toBe(45);
  }, 120_000);
});
