import type { Ports } from "../../../core/ports";
import { archiveEvents, batchIdOf } from "../../../core/processing/archive";
import { createPubSubConsumer, type PubSubCloudEventHandler } from "./pubsub-consumer";

export interface ArchiveHandlerDeps {
  ports: Pick<Ports, "archive" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">>;
}

/**
 * One message's events as Parquet under `events/dt=.../<batch id>.parquet`; the batch id derives
 * from the Pub/Sub message id (as AWS and Azure derive it from stream positions), so a redelivered
 * message overwrites its own object, while the same payload published twice (a webhook Twilio
 * retried) is archived twice: the archive is at-least-once, and queries count distinct event ids.
 */
export const createArchiveHandler = (deps: ArchiveHandlerDeps): PubSubCloudEventHandler =>
  createPubSubConsumer(
    "archive",
    {
      skipReplayed: true,
      wholeBatch: async (events, recordIds) => {
        await archiveEvents(events, deps.ports, batchIdOf(recordIds));
      },
    },
    deps.ports,
  );
