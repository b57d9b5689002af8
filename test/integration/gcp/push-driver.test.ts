/**
 * The local run's Pub/Sub push driver against the emulator: a 2xx acknowledges, a failure is
 * redelivered after the backoff, one message per ordering key is outstanding and a failed one holds
 * its key's later messages back, and the last allowed attempt forwards the message to the
 * dead-letter topic with Pub/Sub's CloudPubSubDeadLetterSource* attributes.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { PushRequestBody } from "../../../providers/local/clouds/gcp-function-server";
import {
  backoffSecondsOf,
  DEAD_LETTER_SOURCE,
  PushDriver,
} from "../../../providers/local/clouds/gcp-push-driver";
import { emulatorSubscriber } from "../../../providers/local/clouds/gcp-resources";
import { collectTopic, emulatorsUnavailable, PROJECT, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();
const describeWithEmulators = emulatorsUnavailable ? describe.skip : describe;
if (emulatorsUnavailable) {
  describe("push driver", () => {
    it.skip(`skipped: ${emulatorsUnavailable}`, () => {});
  });
}

const SETTINGS = { maxDeliveryAttempts: 5, minimumBackoffSeconds: 0, maximumBackoffSeconds: 0 };
const drivers: PushDriver[] = [];
afterAll(async () => {
  await Promise.all(drivers.map((driver) => driver.stop()));
});

/** A topic with an ordered subscription, a dead-letter topic, and a driver pushing to `push`. */
const setUp = async (push: (body: PushRequestBody) => Promise<number>) => {
  const pubsub = fixture.pubsub();
  const [topic] = await pubsub.createTopic(uniqueName("events"));
  const name = uniqueName("events-consumer");
  await topic.createSubscription(name, { enableMessageOrdering: true, ackDeadlineSeconds: 10 });
  const deadLetters = await collectTopic(pubsub, uniqueName("dead-letters"));
  const subscriber = emulatorSubscriber(process.env["PUBSUB_EMULATOR_HOST"] ?? "");
  const driver = new PushDriver({
    subscriber,
    subscription: `projects/${PROJECT}/subscriptions/${name}`,
    settings: SETTINGS,
    push,
    deadLetterTopic: deadLetters.topic,
    idlePollMs: 10,
  });
  drivers.push(driver);
  const ordered = pubsub.topic(topic.name, { messageOrdering: true });
  const publish = (data: string, orderingKey = "k") =>
    ordered.publishMessage({ data: Buffer.from(data), orderingKey });
  return { driver, publish, deadLetters };
};

const dataOf = (body: PushRequestBody) => Buffer.from(body.message.data, "base64").toString();

describeWithEmulators("the Pub/Sub push driver (Pub/Sub emulator)", () => {
  it("pushes each message once as a wrapped push body and acknowledges it on 2xx", async () => {
    const pushed: PushRequestBody[] = [];
    const { driver, publish } = await setUp(async (body) => {
      pushed.push(body);
      return 204;
    });
    driver.start();
    const ids = [await publish("a"), await publish("b"), await publish("c", "other")];
    await driver.settle(ids);
    // Acknowledged: nothing comes back within a few more polls.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pushed.map(dataOf).sort()).toEqual(["a", "b", "c"]);
    expect(pushed[0]).toMatchObject({
      deliveryAttempt: 1,
      subscription: expect.stringContaining("events-consumer"),
    });
    expect(driver.stats()).toMatchObject({ invocations: 3, recordsRead: 3, retries: 0, functionErrors: 0 });
  });

  it("redelivers a failed message, holding its key's later messages back until it succeeds", async () => {
    const order: string[] = [];
    let failuresLeft = 2;
    const { driver, publish } = await setUp(async (body) => {
      order.push(`${dataOf(body)}#${body.deliveryAttempt}`);
      if (dataOf(body) === "first" && failuresLeft-- > 0) return 500;
      return 200;
    });
    const ids = [await publish("first"), await publish("second")];
    driver.start();
    await driver.settle(ids);
    // "second" is never pushed before "first" succeeded.
    expect(order.filter((entry) => entry.startsWith("first"))).toEqual(["first#1", "first#2", "first#3"]);
    expect(order.indexOf("second#1")).toBeGreaterThan(order.indexOf("first#3"));
    expect(driver.stats()).toMatchObject({ functionErrors: 2, retries: 2, deadLetteredRecords: 0 });
  });

  it("dead-letters a message after the maximum delivery attempts, with its bytes and the source attributes", async () => {
    let pushes = 0;
    const { driver, publish, deadLetters } = await setUp(async () => {
      pushes++;
      return 500;
    });
    const id = await publish("never works", "poisoned-key");
    driver.start();
    await driver.settle([id]);
    expect(pushes).toBe(SETTINGS.maxDeliveryAttempts);
    const [entry] = await deadLetters.read();
    expect(entry.data.toString()).toBe("never works");
    expect(entry.attributes).toMatchObject({
      [DEAD_LETTER_SOURCE.subscription]: expect.stringContaining("events-consumer"),
      [DEAD_LETTER_SOURCE.deliveryCount]: "5",
    });
    expect(driver.stats()).toMatchObject({ deadLetteredRecords: 1, functionErrors: 5 });
  });

  it("backs off exponentially within the subscription's bounds", () => {
    const settings = { maxDeliveryAttempts: 5, minimumBackoffSeconds: 10, maximumBackoffSeconds: 60 };
    expect([1, 2, 3, 4].map((attempt) => backoffSecondsOf(attempt, settings))).toEqual([10, 20, 40, 60]);
  });
});
