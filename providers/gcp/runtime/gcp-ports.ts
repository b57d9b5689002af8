import type { CampaignStore, Clock, Ports, SmsSender } from "../../../core/ports";
import { GcsArchiveStore } from "./archive-store";
import { createGcpClients, type GcpClients } from "./clients";
import { SystemClock } from "./clock";
import { consentLogOf } from "./consent-log";
import { PubSubDeadLetter } from "./dead-letter";
import { journeyPortsOf } from "./journey-ports";
import { FirestoreMessageLog } from "./message-log";
import { LogMetricsSink } from "./metrics-sink";
import { PubSubNotifier } from "./notifier";
import { FirestoreResponsesStore } from "./responses-store";
import { ENV, type GcpPortsEnv, GcpPortsEnvSchema, parseEnv } from "./settings";
import { smsSenderFor } from "./sms-sender";

export interface GcpPortsOptions {
  /** Google clients; default: built from the environment's project and database. */
  clients?: GcpClients;
  clock?: Clock;
  /** The SMS sender; default: Twilio from the environment. */
  sender?: SmsSender;
  /** Where the metrics sink writes its log lines; default stdout. */
  writeLog?: (line: string) => void;
}

/** Every core port, plus the store of campaigns launched into the stack. */
export type GcpPorts = Ports & { campaigns: CampaignStore };

/**
 * Every core port on GCP, from environment variables (validated once; an error names each
 * variable at fault). The functions construct only the ports they use.
 */
export const createGcpPorts = (
  rawEnv: Record<string, string | undefined>,
  options: GcpPortsOptions = {},
): GcpPorts => {
  const env: GcpPortsEnv = parseEnv(GcpPortsEnvSchema, rawEnv);
  const clients =
    options.clients ??
    createGcpClients({ projectId: env[ENV.project], databaseId: env[ENV.firestoreDatabase] });
  const { firestore, pubsub, storage } = clients;
  return {
    ...journeyPortsOf(env, clients, options.clock ?? new SystemClock()),
    deadLetter: new PubSubDeadLetter(pubsub.topic(env[ENV.deadLetterTopic])),
    metrics: new LogMetricsSink({ namespace: env[ENV.metricNamespace], write: options.writeLog }),
    responses: new FirestoreResponsesStore(firestore, env[ENV.responsesCollection]),
    messages: new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]),
    ...consentLogOf(firestore, env[ENV.consentLogCollection]),
    notifier: new PubSubNotifier(pubsub.topic(env[ENV.notificationTopic])),
    archive: new GcsArchiveStore(storage.bucket(env[ENV.archiveBucket]), {
      keyPrefix: env[ENV.archivePrefix],
    }),
    sender: options.sender ?? smsSenderFor(env),
  };
};
