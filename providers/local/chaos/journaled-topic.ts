/**
 * A Pub/Sub topic of the local GCP run that survives `--chaos kill=pubsub`. Google's emulator keeps
 * nothing on disk, so a SIGKILL loses every message it held; the run makes the topic whole again:
 * - while the emulator is down (`outage`), publishes wait; one the crash interrupted is published
 *   again once it is back, its ordering key resumed first (the client pauses a key after an error);
 * - every message carries an id of the run's own (RUN_MESSAGE_ID_ATTRIBUTE), which the topic answers
 *   for it: the restarted emulator numbers its messages from 1 again, so its ids would name old
 *   messages; accepted messages are journaled, and after the restart those the subscribers had not
 *   finished are published again (`republish`), in their original order and under the same id.
 * Real Pub/Sub never loses an acknowledged publish: this only undoes what the emulator's lack of
 * persistence takes away.
 */
import type { PublishingTopic } from "../../gcp/runtime/pubsub-topic";
import type { StreamOutage } from "./stream-outage";

type Message = Parameters<PublishingTopic["publishMessage"]>[0];

/** The run's id of a message, the same across emulator restarts and re-publishes. */
export const RUN_MESSAGE_ID_ATTRIBUTE = "sms-local-message-id";

/** The id a reader should know a pulled message by: the run's, when the topic journals. */
export const runIdOf = (messageId: string, attributes: Record<string, string> | null | undefined) =>
  attributes?.[RUN_MESSAGE_ID_ATTRIBUTE] ?? messageId;

/** The attributes as the publisher set them, without the run's id. */
export const publishedAttributesOf = (
  attributes: Record<string, string> | null | undefined,
): Record<string, string> => {
  const { [RUN_MESSAGE_ID_ATTRIBUTE]: _runId, ...rest } = attributes ?? {};
  return rest;
};

export interface JournaledTopicOptions {
  outage: StreamOutage;
  /**
   * Give messages the run's ids and keep the accepted ones for `republish` (only a run that kills
   * the emulator needs them; otherwise the emulator's ids are answered and nothing is kept).
   */
  journal: boolean;
}

export class JournaledTopic implements PublishingTopic {
  /** Publishes the outage interrupted and made again. */
  outageRetries = 0;
  /** Accepted late, by the emulator that died, after `republish` ran: published again at once. */
  lateRepublished = 0;
  private readonly journal: { id: string; message: Message }[] = [];
  /** Times `republish` ran. */
  private republishes = 0;
  private issued = 0;
  /** Interrupted publishes not yet made again: held ones wait for them, to keep each key's order. */
  private retriesPending = 0;
  private retriesIssued: { over: Promise<void>; done: () => void } | undefined;

  constructor(
    private readonly inner: PublishingTopic,
    private readonly options: JournaledTopicOptions,
  ) {}

  /** Messages accepted so far. */
  get accepted(): number {
    return this.journal.length;
  }

  async publishMessage(published: Message): Promise<string> {
    const { outage, journal } = this.options;
    const runId = journal ? `run-${++this.issued}` : undefined;
    const message = runId
      ? { ...published, attributes: { ...published.attributes, [RUN_MESSAGE_ID_ATTRIBUTE]: runId } }
      : published;
    await outage.passable();
    while (this.retriesIssued) await this.retriesIssued.over;
    for (let retry = false; ; retry = true) {
      const before = outage.count;
      const republishesBefore = this.republishes;
      const publish = this.inner.publishMessage(message);
      if (retry) this.retryIssued();
      try {
        const emulatorId = await publish;
        if (!runId) return emulatorId;
        this.journal.push({ id: runId, message });
        // Made before the topic was made whole, answered after: if the dead emulator took it, it
        // is lost there; readers know a second copy by its run id.
        if (this.republishes > republishesBefore) {
          this.lateRepublished++;
          void this.inner.publishMessage(message).catch(() => undefined);
        }
        return runId;
      } catch (error) {
        if (!outage.interrupted(before)) throw error;
        this.outageRetries++;
        this.retryPending();
        if (message.orderingKey) this.inner.resumePublishing?.(message.orderingKey);
        await outage.passable();
      }
    }
  }

  private retryPending(): void {
    this.retriesPending++;
    if (this.retriesIssued) return;
    let done = () => {};
    const over = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.retriesIssued = { over, done };
  }

  /** The publish calls made, in order, is what orders a key: new ones may follow now. */
  private retryIssued(): void {
    this.retriesPending--;
    if (this.retriesPending > 0) return;
    this.retriesIssued?.done();
    this.retriesIssued = undefined;
  }

  resumePublishing(orderingKey: string): void {
    this.inner.resumePublishing?.(orderingKey);
  }

  /**
   * Publishes again, in order, under their run ids and past the outage's hold, the journaled
   * messages `finished` says are not done with; resolves to how many. Some may have reached the
   * restarted emulator already (an answer can lag its acceptance): readers know copies by run id.
   */
  async republish(finished: (messageId: string) => boolean): Promise<number> {
    this.republishes++;
    const lost = this.journal.filter(({ id }) => !finished(id));
    // One key's messages must be accepted in order; different keys may go at once.
    const byKey = new Map<string, { id: string; message: Message }[]>();
    for (const entry of lost) {
      const key = entry.message.orderingKey ?? `unordered:${entry.id}`;
      byKey.set(key, [...(byKey.get(key) ?? []), entry]);
    }
    await Promise.all(
      [...byKey.values()].map(async (entries) => {
        for (const { message } of entries) await this.inner.publishMessage(message);
      }),
    );
    return lost.length;
  }
}
