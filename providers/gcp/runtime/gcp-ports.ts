import type { Clock, Ports, SmsSender } from "../../../core/ports";
import { GcsArchiveStore } from "./archive-store";
import { createGcpClients, type GcpClients, orderedTopic } from "./clients";
import { SystemClock } from "./clock";
import { PubSubDeadLetter } from "./dead-letter";
import { PubSubEventPublisher } from "./event-publisher";
import { FirestoreJourneyStore } from "./journey-store";
import { FirestoreMessageLog } from "./message-log";
import { LogMetricsSink } from "./metrics-sink";
import { PubSubNotifier } from "./notifier";
import { FirestoreOptOutStore } from "./opt-out-store";
import { FirestoreResponsesStore } from "./responses-store";
import { FirestoreSendLedger } from "./send-ledger";
import { ENV, type GcpPortsEnv, GcpPortsEnvSchema, parseEnv } from "./settings";
import { smsSenderFor } from "./sms-sender";
import { FirestoreSubscriberDirectory } from "./subscriber-directory";

export interface GcpPortsOptions {
  /** Google clients; default: built from the environment's project and database. */
  clients?: GcpClients;
  clock?: Clock;
  /** The SMS sender; default: Twilio from the environment. */
  sender?: SmsSender;
  /** Where the metrics sink writes its log lines; default stdout. */
  writeLog?: (line: string) => void;
}

/**
 * Every core port on GCP, from environment variables (validated once; an error names each
 * variable at fault). The functions construct only the ports they use.
 */
export const createGcpPorts = (
  rawEnv: Record<string, string | undefined>,
  options: GcpPortsOptions = {},
): Ports => {
  const env: GcpPortsEnv = parseEnv(GcpPortsEnvSchema, rawEnv);
  const clients =
    options.clients ??
    createGcpClients({ projectId: env[ENV.project], databaseId: env[ENV.firestoreDatabase] });
  const { firestore, pubsub, storage } = clients;
  return {
    clock: options.clock ?? new SystemClock(),
    publisher: new PubSubEventPublisher(orderedTopic(pubsub, env[ENV.eventsTopic])),
    deadLetter: new PubSubDeadLetter(pubsub.topic(env[ENV.deadLetterTopic])),
    metrics: new LogMetricsSink({ namespace: env[ENV.metricNamespace], write: options.writeLog }),
    responses: new FirestoreResponsesStore(firestore, env[ENV.responsesCollection]),
    optOuts: new FirestoreOptOutStore(firestore, env[ENV.optOutsCollection]),
    messages: new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]),
    subscribers: new FirestoreSubscriberDirectory(firestore, env[ENV.subscribersCollection]),
    ledger: new FirestoreSendLedger(firestore, env[ENV.sendLedgerCollection]),
    journeys: new FirestoreJourneyStore(firestore, env[ENV.journeysCollection]),
    notifier: new PubSubNotifier(pubsub.topic(env[ENV.notificationTopic])),
    archive: new GcsArchiveStore(storage.bucket(env[ENV.archiveBucket]), {
      keyPrefix: env[ENV.archivePrefix],
    }),
    sender: options.sender ?? smsSenderFor(env),
  };
};
