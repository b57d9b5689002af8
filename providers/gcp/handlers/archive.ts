import type { Ports } from "../../../core/ports";
import { archiveEvents, batchIdOf } from "../../../core/processing/archive";
import { createPubSubConsumer, type PubSubCloudEventHandler } from "./pubsub-consumer";

export interface ArchiveHandlerDeps {
  ports: Pick<Ports, "archive" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">>;
}

/**
 * One message's events as Parquet under `events/dt=.../<batch id>.parquet`; the batch id derives
 * from the event ids, so a redelivered message overwrites its own object.
 */
export const createArchiveHandler = (deps: ArchiveHandlerDeps): PubSubCloudEventHandler =>
  createPubSubConsumer(
    "archive",
    {
      wholeBatch: async (events) => {
        await archiveEvents(events, deps.ports, batchIdOf(events.map((e) => e.eventId)));
      },
    },
    deps.ports,
  );
