import type { Ports } from "../../../core/ports";
import { archiveEvents, batchIdOf } from "../../../core/processing/archive";
import { GcsArchiveStore } from "../runtime/archive-store";
import type { GcpClients } from "../runtime/clients";
import { SystemClock } from "../runtime/clock";
import { PubSubDeadLetter } from "../runtime/dead-letter";
import { screenErased } from "../runtime/erasure-tombstones";
import { FirestoreMessageLog } from "../runtime/message-log";
import { FirestorePendingReceiptStore } from "../runtime/pending-receipts";
import { type ArchiveEnv, ENV } from "../runtime/settings";
import { createPubSubConsumer, type PubSubCloudEventHandler } from "./pubsub-consumer";

export interface ArchiveHandlerDeps {
  ports: Pick<Ports, "archive" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts" | "erasures">>;
}

/**
 * The archive function's ports from its environment. With the salt (and the opt-outs collection
 * its tombstones live in), erased numbers' rows are dropped: a redelivery cannot write them back.
 */
export const archivePortsOf = (env: ArchiveEnv, clients: GcpClients): ArchiveHandlerDeps["ports"] => {
  const { pubsub, storage, firestore } = clients;
  const ports = {
    clock: new SystemClock(),
    deadLetter: new PubSubDeadLetter(pubsub.topic(env[ENV.deadLetterTopic])),
    messages: new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]),
    pendingReceipts: new FirestorePendingReceiptStore(firestore, env[ENV.pendingReceiptsCollection]),
    archive: new GcsArchiveStore(storage.bucket(env[ENV.archiveBucket]), {
      keyPrefix: env[ENV.archivePrefix],
    }),
  };
  const optOuts = env[ENV.optOutsCollection];
  return optOuts ? screenErased(ports, firestore, optOuts, env[ENV.phoneHashSalt]) : ports;
};

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
