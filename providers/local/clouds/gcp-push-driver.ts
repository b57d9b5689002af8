/**
 * Pub/Sub's push delivery to one consumer function, played against the emulator: the driver pulls
 * from the consumer's own subscription (declared with the stack's ordering, ack deadline, retry and
 * dead-letter settings) and posts each message, one per request as a push subscription does, to the
 * function served by the Functions Framework. A 2xx acknowledges it; any other answer is a nack
 * with the subscription's exponential backoff (the ack deadline is set to the backoff, so the
 * emulator redelivers it then). One message per ordering key is outstanding at a time, and a nack
 * holds that key's later messages back, as Pub/Sub does for ordered push.
 *
 * The emulator does not dead-letter: with a dead-letter policy it counts attempts, but its pull
 * fails once a message passes the maximum (seen with cloud-pubsub-emulator 0.8.20). So the local
 * subscriptions carry no dead-letter policy, and the driver does what the policy and Pub/Sub's
 * service agent do: it counts the deliveries it pushed, and when the last allowed one fails it
 * forwards the message, its attributes plus the CloudPubSubDeadLetterSource* ones, to the
 * dead-letter topic and acknowledges it.
 *
 * A pull hands the driver messages before it pushes them (a push subscription would hold them
 * back), so one waiting behind its ordering key can outlive its ack deadline and be redelivered by
 * the emulator while the first copy is still queued. That copy is the same delivery, not a new
 * one: the driver keeps its newest ack id and pushes it once; a copy of a message already taken is
 * acknowledged unseen.
 *
 * Under `--chaos kill=pubsub` the emulator restarts empty and the run re-publishes what the
 * consumers had not finished (chaos/journaled-topic.ts): the driver holds its pulls during the
 * outage, knows each message by the run's id (the restarted emulator reuses its own ids), pushes it
 * under that id, as Pub/Sub would redeliver it, and an acknowledgement the dead emulator cannot take is not an error: the message
 * is finished, and its copy is acknowledged unseen.
 */
import type { v1 } from "@google-cloud/pubsub";
import type { PublishingTopic } from "../../gcp/runtime/pubsub-topic";
import { publishedAttributesOf, runIdOf } from "../chaos/journaled-topic";
import type { StreamOutage } from "../chaos/stream-outage";
import { type ConsumerStats, emptyConsumerStats } from "../poller/poller";
import type { PushRequestBody } from "./gcp-function-server";

export interface PushSettings {
  maxDeliveryAttempts: number;
  minimumBackoffSeconds: number;
  maximumBackoffSeconds: number;
}

/** The attributes Pub/Sub adds to a message it forwards to a dead-letter topic. */
export const DEAD_LETTER_SOURCE = {
  subscription: "CloudPubSubDeadLetterSourceSubscription",
  project: "CloudPubSubDeadLetterSourceSubscriptionProject",
  deliveryCount: "CloudPubSubDeadLetterSourceDeliveryCount",
  publishTime: "CloudPubSubDeadLetterSourceTopicPublishTime",
} as const;

export interface PushDriverDeps {
  subscriber: v1.SubscriberClient;
  /** projects/<p>/subscriptions/<s> */
  subscription: string;
  settings: PushSettings;
  /** Delivers one push request; resolves with the HTTP status the function answered. */
  push(body: PushRequestBody): Promise<number>;
  deadLetterTopic: PublishingTopic;
  /** The publish time the push carries (default the emulator's); the run maps its payloads to its clock. */
  publishTimeOf?(messageId: string, emulatorTime: string): Promise<string>;
  onDelivered?(messageId: string): void;
  /** The emulator killed and restarting: pulls wait until it is back and re-published to. */
  outage?: StreamOutage;
  idlePollMs?: number;
  maxOutstanding?: number;
}

type Received = v1.protos.google.pubsub.v1.IReceivedMessage;

const isoOf = (time: { seconds?: unknown; nanos?: number | null } | null | undefined): string =>
  new Date(Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6)).toISOString();

/** Pub/Sub's retry policy: the backoff doubles with each attempt, within [minimum, maximum]. */
export const backoffSecondsOf = (attempt: number, settings: PushSettings): number =>
  Math.min(settings.maximumBackoffSeconds, settings.minimumBackoffSeconds * 2 ** Math.max(0, attempt - 1));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PushDriver {
  private running = false;
  private loop: Promise<void> | undefined;
  /** The pull in flight, so `quiet` can wait for what it brings. */
  private pulling: Promise<unknown> = Promise.resolve();
  private outstanding = 0;
  /** Per ordering key: whether its last message was taken (false holds the later ones back). */
  private readonly chains = new Map<string, Promise<boolean>>();
  /** Message ids the function took (acknowledged) or that went to the dead letter. */
  readonly done = new Set<string>();
  private readonly counters: ConsumerStats = emptyConsumerStats();
  /** Messages pulled and not yet answered: message id -> the newest ack id the emulator gave it. */
  private readonly inHand = new Map<string, string>();
  /** Deliveries pushed per message id (Pub/Sub's deliveryAttempt). */
  private readonly attempts = new Map<string, number>();
  private readonly project: string;

  constructor(private readonly deps: PushDriverDeps) {
    this.project = deps.subscription.split("/")[1] ?? "";
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.pullLoop();
  }

  /** Stops pulling and waits for the messages in hand. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all([...this.chains.values()]);
  }

  /** Resolves once no pull is in flight and every message in hand was answered. */
  async quiet(): Promise<void> {
    await this.pulling;
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  stats(): ConsumerStats {
    return { ...this.counters };
  }

  /** Resolves once every one of these message ids was taken or dead-lettered. */
  async settle(messageIds: readonly string[], pollMs = 20): Promise<void> {
    let index = 0;
    for (;;) {
      while (index < messageIds.length && this.done.has(messageIds[index])) index++;
      if (index === messageIds.length) return;
      await sleep(pollMs);
    }
  }

  private async pullLoop(): Promise<void> {
    const maxOutstanding = this.deps.maxOutstanding ?? 500;
    while (this.running) {
      const room = maxOutstanding - this.outstanding;
      if (room <= 0) {
        await sleep(5);
        continue;
      }
      await this.deps.outage?.passable();
      const pull = this.pullOnce(room);
      this.pulling = pull;
      if (!(await pull)) await sleep(this.deps.idlePollMs ?? 25);
    }
  }

  /** One pull, its messages taken; false when it brought none. */
  private async pullOnce(room: number): Promise<boolean> {
    let received: Received[] = [];
    try {
      const [response] = await this.deps.subscriber.pull({
        subscription: this.deps.subscription,
        maxMessages: Math.min(room, 1000),
        returnImmediately: true,
      });
      received = response.receivedMessages ?? [];
    } catch {
      // The emulator busy or restarting: poll again.
    }
    for (const message of received) await this.take(message);
    return received.length > 0;
  }

  /** The id the run knows a message by (see chaos/journaled-topic.ts). */
  private idOf(received: Received): string {
    return runIdOf(received.message?.messageId ?? "", received.message?.attributes);
  }

  /** A copy of a message in hand or already taken is not a new delivery (see the header). */
  private async take(message: Received): Promise<void> {
    const messageId = this.idOf(message);
    const ackId = message.ackId ?? "";
    if (this.done.has(messageId)) {
      await this.acknowledge(ackId).catch(() => undefined);
      return;
    }
    const copy = this.inHand.has(messageId);
    this.inHand.set(messageId, ackId);
    if (!copy) this.enqueue(message);
  }

  /** The ack id to answer a message with: the newest one, as an expired one no longer counts. */
  private release(messageId: string, fallback: string): string {
    const ackId = this.inHand.get(messageId) ?? fallback;
    this.inHand.delete(messageId);
    return ackId;
  }

  /** Chains the message behind its ordering key's earlier ones (no key: on its own). */
  private enqueue(message: Received): void {
    this.outstanding++;
    const key = message.message?.orderingKey || `unordered:${this.idOf(message)}`;
    const previous = this.chains.get(key) ?? Promise.resolve(true);
    const next = previous.then((taken) => (taken ? this.deliver(message) : this.holdBack(message)));
    const settled = next.catch(() => false).finally(() => this.outstanding--);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
  }

  private async deliver(received: Received): Promise<boolean> {
    const message = received.message ?? {};
    const messageId = this.idOf(received);
    const ackId = received.ackId ?? "";
    const attempt = (this.attempts.get(messageId) ?? 0) + 1;
    this.attempts.set(messageId, attempt);
    if (attempt === 1) this.counters.recordsRead++;
    else this.counters.retries++;
    const emulatorTime = isoOf(message.publishTime);
    this.counters.maxIteratorAgeMs = Math.max(
      this.counters.maxIteratorAgeMs,
      Date.now() - Date.parse(emulatorTime),
    );
    // The publish time can wait on publishes the outage holds: an outage abandons the delivery
    // (the emulator lost the message; the run publishes it again once the drivers are quiet).
    const publishTime = await this.unlessOutageBegins(
      this.deps.publishTimeOf?.(messageId, emulatorTime) ?? Promise.resolve(emulatorTime),
    );
    if (publishTime === undefined) {
      this.release(messageId, ackId);
      return false;
    }
    const body: PushRequestBody = {
      message: {
        data: Buffer.from(message.data ?? new Uint8Array()).toString("base64"),
        attributes: publishedAttributesOf(message.attributes),
        messageId,
        publishTime,
        ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
      },
      subscription: this.deps.subscription,
      deliveryAttempt: attempt,
    };
    this.counters.invocations++;
    const status = await this.deps.push(body).catch(() => 0);
    if (status >= 200 && status < 300) {
      this.finish(messageId);
      await this.acknowledge(this.release(messageId, ackId));
      return true;
    }
    this.counters.functionErrors++;
    if (attempt >= this.deps.settings.maxDeliveryAttempts) {
      await this.deadLetter(body, attempt, emulatorTime);
      this.finish(messageId);
      await this.acknowledge(this.release(messageId, ackId));
      return true;
    }
    await this.nack(this.release(messageId, ackId), backoffSecondsOf(attempt, this.deps.settings));
    return false;
  }

  /** A later message of a key whose earlier one failed: back to Pub/Sub unseen, redelivered after it. */
  private async holdBack(received: Received): Promise<boolean> {
    const messageId = this.idOf(received);
    const attempts = this.attempts.get(messageId) ?? 1;
    await this.nack(
      this.release(messageId, received.ackId ?? ""),
      backoffSecondsOf(attempts, this.deps.settings),
    );
    return false;
  }

  /** `work`'s value, or undefined as soon as an outage is on. */
  private async unlessOutageBegins<T>(work: Promise<T>): Promise<T | undefined> {
    const outage = this.deps.outage;
    if (!outage) return work;
    let settled = false;
    const begins = (async () => {
      while (!settled && !outage.active) await sleep(20);
      return undefined;
    })();
    try {
      return await Promise.race([work, begins]);
    } finally {
      settled = true;
    }
  }

  /** A nack the emulator cannot take (killed) is moot: the run re-publishes what was not finished. */
  private async nack(ackId: string, afterSeconds: number): Promise<void> {
    if (this.deps.outage?.active) return;
    await this.deps.subscriber
      .modifyAckDeadline({
        subscription: this.deps.subscription,
        ackIds: [ackId],
        ackDeadlineSeconds: afterSeconds,
      })
      .catch(this.unlessOutage);
  }

  /** Rethrows unless the emulator is down or came back since (its ack ids then mean nothing). */
  private readonly unlessOutage = (error: unknown): void => {
    if (!this.deps.outage || this.deps.outage.count === 0) throw error;
  };

  private finish(messageId: string): void {
    this.done.add(messageId);
    this.deps.onDelivered?.(messageId);
  }

  private async acknowledge(ackId: string): Promise<void> {
    // A dead or restarted emulator cannot take it; a copy published again is acknowledged unseen.
    if (this.deps.outage?.active) return;
    await this.deps.subscriber
      .acknowledge({ subscription: this.deps.subscription, ackIds: [ackId] })
      .catch(this.unlessOutage);
  }

  private async deadLetter(body: PushRequestBody, attempts: number, publishTime: string): Promise<void> {
    await this.deps.deadLetterTopic.publishMessage({
      data: Buffer.from(body.message.data, "base64"),
      attributes: {
        ...body.message.attributes,
        [DEAD_LETTER_SOURCE.subscription]: this.deps.subscription.split("/").at(-1) ?? "",
        [DEAD_LETTER_SOURCE.project]: this.project,
        [DEAD_LETTER_SOURCE.deliveryCount]: String(attempts),
        [DEAD_LETTER_SOURCE.publishTime]: publishTime,
      },
    });
    this.counters.deadLetteredRecords++;
    this.counters.deadLetteredBatches++;
  }
}
