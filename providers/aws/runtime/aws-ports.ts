import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { CampaignStore, Clock, OptOutReviewStore, Ports, SmsSender } from "../../../core/ports";
import { RESPONSES_ENV } from "../infra/environment";
import { S3ArchiveStore } from "./archive-store";
import { DynamoDbCampaignStore } from "./campaign-store";
import { type AwsClients, createAwsClients } from "./clients";
import { commonPortsOf } from "./common-ports";
import { screenErased } from "./erasure-tombstones";
import { KinesisEventPublisher } from "./event-publisher";
import { DynamoDbJourneyStore } from "./journey-store";
import { createKinesisClient } from "./kinesis-client";
import { DynamoDbMessageLog } from "./message-log";
import { SnsNotifier } from "./notifier";
import { DynamoDbOptOutReviewStore } from "./opt-out-reviews";
import { DynamoDbOptOutStore } from "./opt-out-store";
import { DynamoDbResponsesStore } from "./responses-store";
import { DynamoDbRevocationClockStore } from "./revocation-clocks";
import { DynamoDbSendLedger } from "./send-ledger";
import { type AwsPortsEnv, AwsPortsEnvSchema, clientOptionsOf, ENV, parseEnv } from "./settings";
import { smsSenderFor } from "./sms-sender";
import { DynamoDbSubscriberDirectory } from "./subscriber-directory";

export interface AwsPortsOptions {
  /** SDK clients; default: built from the environment (region, AWS_ENDPOINT_URL_* overrides). */
  clients?: AwsClients & { kinesis?: KinesisClient };
  clock?: Clock;
  /** The SMS sender, or a builder for it; default: End User Messaging (./sms-sender). */
  sender?: SmsSender | ((clients: AwsClients, env: AwsPortsEnv) => SmsSender);
}

export type AwsPorts = Ports & { campaigns: CampaignStore; optOutReviews: OptOutReviewStore };

/**
 * Every core port on AWS, and the campaign store, from environment variables (validated once; an error names each
 * variable at fault). Used by `npm start` against the emulators and by the integration tests;
 * the Lambda handlers construct only the ports they use.
 */
export const createAwsPorts = (
  rawEnv: Record<string, string | undefined>,
  options: AwsPortsOptions,
): AwsPorts => {
  const env = parseEnv(AwsPortsEnvSchema, rawEnv);
  const clients = options.clients ?? createAwsClients(clientOptionsOf(env));
  const kinesis = options.clients?.kinesis ?? createKinesisClient(clientOptionsOf(env));
  const common = commonPortsOf(env, clients.sqs, options.clock);
  const revocationClocksTable = env[ENV.revocationClocksTable];
  const ports: AwsPorts = {
    ...common,
    publisher: new KinesisEventPublisher(kinesis, env[ENV.streamName], common.clock),
    responses: new DynamoDbResponsesStore(clients.documents, env[ENV.responsesTable]),
    optOuts: new DynamoDbOptOutStore(clients.documents, env[ENV.optOutsTable]),
    optOutReviews: new DynamoDbOptOutReviewStore(clients.documents, env[ENV.optOutReviewsTable]),
    messages: new DynamoDbMessageLog(clients.documents, env[ENV.messageLogTable]),
    subscribers: new DynamoDbSubscriberDirectory(clients.documents, env[ENV.subscribersTable]),
    ledger: new DynamoDbSendLedger(clients.documents, env[ENV.sendLedgerTable]),
    journeys: new DynamoDbJourneyStore(clients.documents, env[ENV.journeysTable]),
    campaigns: new DynamoDbCampaignStore(clients.documents, env[ENV.campaignsTable]),
    notifier: new SnsNotifier(clients.sns, env[ENV.notificationTopicArn]),
    archive: new S3ArchiveStore(clients.s3, env[ENV.archiveBucket], { keyPrefix: env[ENV.archivePrefix] }),
    ...(revocationClocksTable
      ? { revocations: new DynamoDbRevocationClockStore(clients.documents, revocationClocksTable) }
      : {}),
    sender:
      typeof options.sender === "function"
        ? options.sender(clients, env)
        : (options.sender ?? smsSenderFor(env)),
  };
  return screenErased(ports, clients.documents, env[ENV.optOutsTable], env[RESPONSES_ENV.phoneHashSalt]);
};
