/**
 * The events topic as the local run sees it: every publish is counted (accepted or refused) and
 * its message id kept in order, so `settle` knows what "everything on the stream now" is. It also
 * keeps the simulated instant each carrier payload reached the webhook: Twilio's payloads carry no
 * time of their own (core dates them by Pub/Sub's publishTime), and the emulator stamps wall-clock
 * time, while the run's campaign lives on a simulated clock.
 */
import type { PublishingTopic } from "../../gcp/runtime/pubsub-topic";

type Message = Parameters<PublishingTopic["publishMessage"]>[0];

export class RecordedTopic implements PublishingTopic {
  published = 0;
  failed = 0;
  /** Message ids of the accepted publishes, in the order they were accepted. */
  readonly ids: string[] = [];
  private readonly accepted = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly expectedAt = new Map<string, string[]>();
  private readonly simulatedAt = new Map<string, string>();

  constructor(private readonly inner: PublishingTopic) {}

  /** The next publish of exactly these bytes happens at this simulated instant. */
  expect(data: Uint8Array, at: Date): void {
    const key = Buffer.from(data).toString("base64");
    const queue = this.expectedAt.get(key) ?? [];
    queue.push(at.toISOString());
    this.expectedAt.set(key, queue);
  }

  /**
   * When the message reached the stream on the run's clock, if it came through the ingress. A
   * subscriber can pull a message before its publish call has resolved here, so an id not seen yet
   * waits for the publishes in flight now (its own among them).
   */
  async simulatedPublishTime(messageId: string): Promise<string | undefined> {
    if (!this.accepted.has(messageId)) await Promise.all([...this.inFlight]);
    return this.simulatedAt.get(messageId);
  }

  publishMessage(message: Message): Promise<string> {
    const at = this.takeExpected(message.data);
    const publish = this.inner.publishMessage(message).then(
      (id) => {
        this.published++;
        this.ids.push(id);
        this.accepted.add(id);
        if (at) this.simulatedAt.set(id, at);
        return id;
      },
      (error: unknown) => {
        this.failed++;
        throw error;
      },
    );
    const tracked = publish.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.then(() => this.inFlight.delete(tracked));
    return publish;
  }

  resumePublishing(orderingKey: string): void {
    this.inner.resumePublishing?.(orderingKey);
  }

  /** Resolves once every publish started so far was accepted or refused. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private takeExpected(data: Buffer): string | undefined {
    const key = data.toString("base64");
    const queue = this.expectedAt.get(key);
    const at = queue?.shift();
    if (queue && queue.length === 0) this.expectedAt.delete(key);
    return at;
  }
}
