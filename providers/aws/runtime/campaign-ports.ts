import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { CampaignTickerPorts } from "../../../core/campaign/ticker";
import type { Clock, DeadLetter, ErasureGuard } from "../../../core/ports";
import { RESPONSES_ENV } from "../infra/environment";
import { DynamoDbCampaignStore } from "./campaign-store";
import { clientConfigOf } from "./client-config";
import { SystemClock } from "./clock";
import { SqsDeadLetter } from "./dead-letter";
import { documentClientOf } from "./dynamodb-support";
import { screenErased } from "./erasure-tombstones";
import { KinesisEventPublisher } from "./event-publisher";
import { DynamoDbJourneyStore } from "./journey-store";
import { DynamoDbOptOutReviewStore } from "./opt-out-reviews";
import { DynamoDbOptOutStore } from "./opt-out-store";
import { DynamoDbSendLedger } from "./send-ledger";
import { type AwsPortsEnv, clientOptionsOf, ENV } from "./settings";
import { smsSenderFor } from "./sms-sender";
import { DynamoDbSubscriberDirectory } from "./subscriber-directory";

export type CampaignFunctionPorts = CampaignTickerPorts & { deadLetter: DeadLetter; erasures?: ErasureGuard };

/**
 * The ports the ticker and the enrollment function run on, and nothing else (createAwsPorts
 * builds every port, the archive's Parquet writer too, which would triple these bundles).
 */
export function campaignPortsOf(env: AwsPortsEnv, clock: Clock = new SystemClock()): CampaignFunctionPorts {
  const options = clientOptionsOf(env);
  const documents = documentClientOf(new DynamoDBClient(clientConfigOf(options, "dynamodb")));
  const ports: CampaignFunctionPorts = {
    clock,
    deadLetter: new SqsDeadLetter(new SQSClient(clientConfigOf(options, "sqs")), env[ENV.deadLetterQueueUrl]),
    sender: smsSenderFor(env),
    ledger: new DynamoDbSendLedger(documents, env[ENV.sendLedgerTable]),
    optOuts: new DynamoDbOptOutStore(documents, env[ENV.optOutsTable]),
    // A number with a reply waiting for review gets nothing from the ticker until it is decided.
    optOutReviews: new DynamoDbOptOutReviewStore(documents, env[ENV.optOutReviewsTable]),
    // The runtime's default HTTP handler: the HTTP/1.1 one (./kinesis-client) is for kinesis-local only.
    publisher: new KinesisEventPublisher(
      new KinesisClient(clientConfigOf(options, "kinesis")),
      env[ENV.streamName],
      clock,
    ),
    journeys: new DynamoDbJourneyStore(documents, env[ENV.journeysTable]),
    subscribers: new DynamoDbSubscriberDirectory(documents, env[ENV.subscribersTable]),
    campaigns: new DynamoDbCampaignStore(documents, env[ENV.campaignsTable]),
  };
  // Erased numbers: no send (seen as opted out), no re-enrollment.
  return screenErased(ports, documents, env[ENV.optOutsTable], env[RESPONSES_ENV.phoneHashSalt]);
}
