import type { Clock, Ports, SmsSender } from "../../../core/ports";
import { S3ArchiveStore } from "./archive-store";
import { type AwsClients, createAwsClients } from "./clients";
import { SystemClock } from "./clock";
import { SqsDeadLetter } from "./dead-letter";
import { KinesisEventPublisher } from "./event-publisher";
import { DynamoDbJourneyStore } from "./journey-store";
import { DynamoDbMessageLog } from "./message-log";
import { EmfMetricsSink } from "./metrics-sink";
import { SnsNotifier } from "./notifier";
import { DynamoDbOptOutStore } from "./opt-out-store";
import { DynamoDbResponsesStore } from "./responses-store";
import { DynamoDbSendLedger } from "./send-ledger";
import {
  type AnalyticsEnv,
  type ArchiveEnv,
  type AwsPortsEnv,
  AwsPortsEnvSchema,
  ENV,
  endpointsOf,
  parseEnv,
  type ResponsesEnv,
} from "./settings";
import { DynamoDbSubscriberDirectory } from "./subscriber-directory";

/** Clients for a parsed environment: its region and any AWS_ENDPOINT_URL_* overrides. */
export const clientsFor = (env: AnalyticsEnv): AwsClients =>
  createAwsClients({ region: env.AWS_REGION, endpoints: endpointsOf(env) });

// One builder per port group, shared by createAwsPorts and by each handler (which builds only what it uses).

export const commonPortsOf = (
  env: AnalyticsEnv,
  clients: Pick<AwsClients, "sqs">,
  clock: Clock = new SystemClock(),
) => ({
  clock,
  deadLetter: new SqsDeadLetter(clients.sqs, env[ENV.deadLetterQueueUrl]),
  metrics: new EmfMetricsSink({ namespace: env[ENV.metricNamespace], serviceName: env[ENV.serviceName] }),
});

export const responsesPortsOf = (env: ResponsesEnv, clients: Pick<AwsClients, "documents" | "sns">) => ({
  responses: new DynamoDbResponsesStore(clients.documents, env[ENV.responsesTable]),
  optOuts: new DynamoDbOptOutStore(clients.documents, env[ENV.optOutsTable]),
  messages: new DynamoDbMessageLog(clients.documents, env[ENV.messageLogTable]),
  notifier: new SnsNotifier(clients.sns, env[ENV.notificationTopicArn]),
});

export const archivePortsOf = (env: ArchiveEnv, clients: Pick<AwsClients, "s3">) => ({
  archive: new S3ArchiveStore(clients.s3, env[ENV.archiveBucket], { keyPrefix: env[ENV.archivePrefix] }),
});

export interface AwsPortsOptions {
  /** SDK clients; default: built from the environment (region, endpoint overrides). */
  clients?: AwsClients;
  clock?: Clock;
  /** The SMS sender (End User Messaging; written in ./eum-sender). */
  sender: SmsSender | ((clients: AwsClients, env: AwsPortsEnv) => SmsSender);
}

/**
 * Every core port on AWS, from environment variables (validated once; an error names each
 * variable at fault). Used by `npm start` against the emulators and by the integration tests.
 */
export const createAwsPorts = (
  rawEnv: Record<string, string | undefined>,
  options: AwsPortsOptions,
): Ports => {
  const env = parseEnv(AwsPortsEnvSchema, rawEnv);
  const clients = options.clients ?? clientsFor(env);
  const common = commonPortsOf(env, clients, options.clock);
  return {
    ...common,
    ...responsesPortsOf(env, clients),
    ...archivePortsOf(env, clients),
    publisher: new KinesisEventPublisher(clients.kinesis, env[ENV.streamName], common.clock),
    sender: typeof options.sender === "function" ? options.sender(clients, env) : options.sender,
    subscribers: new DynamoDbSubscriberDirectory(clients.documents, env[ENV.subscribersTable]),
    ledger: new DynamoDbSendLedger(clients.documents, env[ENV.sendLedgerTable]),
    journeys: new DynamoDbJourneyStore(clients.documents, env[ENV.journeysTable]),
  };
};
