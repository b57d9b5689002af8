/**
 * The topic of the local GCP run that survives a killed Pub/Sub emulator. The inner topic is a
 * scripted stand-in here (its failures must come at exact moments); the real emulator killed and
 * restarted is test/integration/gcp/pubsub-crash.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { PublishingTopic } from "../../../providers/gcp/runtime/pubsub-topic";
import {
  JournaledTopic,
  publishedAttributesOf,
  RUN_MESSAGE_ID_ATTRIBUTE,
  runIdOf,
} from "../../../providers/local/chaos/journaled-topic";
import { StreamOutage } from "../../../providers/local/chaos/stream-outage";
import { sameMessageOnce } from "../../../providers/local/clouds/gcp-pull-all";

type Message = Parameters<PublishingTopic["publishMessage"]>[0];

/** Accepts everything while `up`, else refuses; records what it accepted and which keys were resumed. */
class ScriptedTopic implements PublishingTopic {
  up = true;
  readonly accepted: Message[] = [];
  readonly resumed: string[] = [];
  async publishMessage(message: Message): Promise<string> {
    if (!this.up) throw new Error("14 UNAVAILABLE: connection refused");
    this.accepted.push(message);
    return String(this.accepted.length);
  }
  resumePublishing(key: string): void {
    this.resumed.push(key);
  }
}

const message = (text: string, orderingKey = "+15550001111"): Message => ({
  data: Buffer.from(text),
  orderingKey,
  attributes: { kind: "test" },
});
const texts = (messages: Message[]) => messages.map((m) => m.data.toString());

describe("JournaledTopic", () => {
  it("answers the run's own ids and carries them as an attribute, stripped for the consumer", async () => {
    const inner = new ScriptedTopic();
    const topic = new JournaledTopic(inner, { outage: new StreamOutage(), journal: true });
    expect(await topic.publishMessage(message("a"))).toBe("run-1");
    expect(await topic.publishMessage(message("b"))).toBe("run-2");
    const [first] = inner.accepted;
    expect(first?.attributes?.[RUN_MESSAGE_ID_ATTRIBUTE]).toBe("run-1");
    expect(runIdOf("1", first?.attributes)).toBe("run-1");
    expect(publishedAttributesOf(first?.attributes)).toEqual({ kind: "test" });
    expect(runIdOf("7", { kind: "test" })).toBe("7");
  });

  it("without a journal answers the emulator's ids and adds nothing", async () => {
    const inner = new ScriptedTopic();
    const topic = new JournaledTopic(inner, { outage: new StreamOutage(), journal: false });
    expect(await topic.publishMessage(message("a"))).toBe("1");
    expect(inner.accepted[0]?.attributes).toEqual({ kind: "test" });
    expect(topic.accepted).toBe(0);
  });

  it("holds publishes during an outage and publishes again the one it interrupted, its key resumed", async () => {
    const inner = new ScriptedTopic();
    const outage = new StreamOutage();
    const topic = new JournaledTopic(inner, { outage, journal: true });
    inner.up = false;
    const interrupted = topic.publishMessage(message("in flight"));
    outage.begin();
    const held = topic.publishMessage(message("held"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(inner.accepted).toEqual([]);
    inner.up = true;
    outage.end();
    expect(await interrupted).toBe("run-1");
    expect(await held).toBe("run-2");
    expect(texts(inner.accepted)).toEqual(["in flight", "held"]);
    expect(inner.resumed).toEqual(["+15550001111"]);
    expect(topic.outageRetries).toBe(1);
  });

  it("lets an error outside an outage through", async () => {
    const inner = new ScriptedTopic();
    inner.up = false;
    const topic = new JournaledTopic(inner, { outage: new StreamOutage(), journal: true });
    await expect(topic.publishMessage(message("a"))).rejects.toThrow("UNAVAILABLE");
    expect(topic.outageRetries).toBe(0);
  });

  it("republishes, in order per key and under the same ids, the journaled messages not finished", async () => {
    const inner = new ScriptedTopic();
    const topic = new JournaledTopic(inner, { outage: new StreamOutage(), journal: true });
    for (const [text, key] of [
      ["a1", "a"],
      ["b1", "b"],
      ["a2", "a"],
      ["a3", "a"],
    ] as const) {
      await topic.publishMessage(message(text, key));
    }
    inner.accepted.length = 0;
    const republished = await topic.republish((id) => id === "run-2");
    expect(republished).toBe(3);
    expect(texts(inner.accepted)).toEqual(["a1", "a2", "a3"]);
    expect(inner.accepted.map((m) => runIdOf("?", m.attributes))).toEqual(["run-1", "run-3", "run-4"]);
  });

  it("publishes again at once a message whose answer came after the topic was made whole without it", async () => {
    const inner = new ScriptedTopic();
    let answer = (_id: string) => {};
    const slow: PublishingTopic = {
      publishMessage: (m) => {
        inner.accepted.push(m);
        return new Promise((resolve) => {
          answer = resolve;
        });
      },
    };
    const outage = new StreamOutage();
    const topic = new JournaledTopic(slow, { outage, journal: true });
    const lagging = topic.publishMessage(message("accepted as it died"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    outage.begin();
    await topic.republish(() => false);
    outage.end();
    answer("1");
    expect(await lagging).toBe("run-1");
    expect(topic.lateRepublished).toBe(1);
    expect(texts(inner.accepted)).toEqual(["accepted as it died", "accepted as it died"]);
  });

  it("lets readers take a message and its republished copy once, by run id", () => {
    const keep = sameMessageOnce();
    const pulled = (attributes: Record<string, string>) => ({ attributes, data: Buffer.from("x") });
    expect(keep(pulled({ [RUN_MESSAGE_ID_ATTRIBUTE]: "run-1" }))).toBe(true);
    expect(keep(pulled({ [RUN_MESSAGE_ID_ATTRIBUTE]: "run-1" }))).toBe(false);
    expect(keep(pulled({ [RUN_MESSAGE_ID_ATTRIBUTE]: "run-2" }))).toBe(true);
    expect(keep(pulled({}))).toBe(true);
    expect(keep(pulled({}))).toBe(true);
  });
});
