/**
 * `--chaos kill=pubsub`: Google's Pub/Sub emulator SIGKILLed mid-campaign and restarted empty (it
 * has no persistence), and the topics made whole before anyone publishes to or pulls the events again:
 * 1. the outage begins: publishes to every topic wait, the push drivers hold their pulls;
 * 2. the emulator dies, and with it every message it held;
 * 3. after the down time it restarts on the same port, and the topics and subscriptions are
 *    declared again, as deployed;
 * 4. the notification and dead-letter topics' readers read only at the run's end, so everything
 *    those topics had accepted is published again (the readers know a copy by its run id); their
 *    publishes resume (a function finishing a message in hand may be waiting on one);
 * 5. once the drivers have answered every message in hand, the events the consumers had not all
 *    finished are published again, in order, under their first ids; then new events flow.
 */
import type { JournaledTopic } from "./journaled-topic";
import type { StreamOutage } from "./stream-outage";

export interface PubSubCrashDeps {
  /** The events topic's outage: its publishes and the push drivers' pulls hold. */
  eventsOutage: StreamOutage;
  /** The other topics' outage (notifications, dead letters): their publishes hold. */
  sideOutage: StreamOutage;
  events: JournaledTopic;
  sideTopics: readonly JournaledTopic[];
  /** SIGKILL, wait the down time, restart on the same port. */
  crash(): Promise<void>;
  /** Declares the topics and subscriptions again on the restarted, empty emulator. */
  redeclare(): Promise<void>;
  /** Resolves once every push driver has answered the messages it held. */
  consumersQuiet(): Promise<void>;
  /** True when every consumer took (or dead-lettered) this event's message id. */
  finishedByAll(messageId: string): boolean;
}

export interface PubSubRecovery {
  /** Events the consumers had not all finished, published again under their first ids. */
  eventsRepublished: number;
  /** Notifications and dead letters not yet read, published again. */
  sideRepublished: number;
}

export async function crashPubSub(deps: PubSubCrashDeps): Promise<PubSubRecovery> {
  deps.eventsOutage.begin();
  deps.sideOutage.begin();
  try {
    await deps.crash();
    await deps.redeclare();
    const side = await Promise.all(deps.sideTopics.map((topic) => topic.republish(() => false)));
    deps.sideOutage.end();
    await deps.consumersQuiet();
    const eventsRepublished = await deps.events.republish(deps.finishedByAll);
    return { eventsRepublished, sideRepublished: side.reduce((sum, count) => sum + count, 0) };
  } finally {
    deps.sideOutage.end();
    deps.eventsOutage.end();
  }
}
