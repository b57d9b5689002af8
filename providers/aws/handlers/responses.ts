import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import type { Ports } from "../../../core/ports";
import {
  logSentMessages,
  onlyLogsMessages,
  processReplies,
  type ResponsesPorts,
  type ResponsesSettings,
} from "../../../core/processing/responses";
import { journeyDefinitions } from "../../../journeys";
import { RESPONSES_ENV } from "../infra/environment";
import { DynamoDbCampaignStore } from "../runtime/campaign-store";
import { clientConfigOf } from "../runtime/client-config";
import { commonPortsOf } from "../runtime/common-ports";
import { DynamoDbConsentLog } from "../runtime/consent-log";
import { documentClientOf } from "../runtime/dynamodb-support";
import { screenErased } from "../runtime/erasure-tombstones";
import { DynamoDbJourneyStore } from "../runtime/journey-store";
import { DynamoDbMessageLog } from "../runtime/message-log";
import { SnsNotifier } from "../runtime/notifier";
import { DynamoDbOptOutReviewStore } from "../runtime/opt-out-reviews";
import { DynamoDbOptOutStore } from "../runtime/opt-out-store";
import { DynamoDbResponsesStore } from "../runtime/responses-store";
import { DynamoDbRevocationClockStore } from "../runtime/revocation-clocks";
import { clientOptionsOf, ENV, parseEnv, type ResponsesEnv, ResponsesEnvSchema } from "../runtime/settings";
import { smsSenderFor } from "../runtime/sms-sender";
import { DynamoDbSubscriberDirectory } from "../runtime/subscriber-directory";
import { createConsumerHandler } from "./consumer-handler";
import { type KinesisHandler, lazyHandler } from "./lazy";
import { type Observability, observabilityFromEnv, traced } from "./observability";

export interface ResponsesHandlerDeps {
  ports: ResponsesPorts & Pick<Ports, "deadLetter">;
  settings: ResponsesSettings;
  observability?: Observability;
}

/** What core's responses consumer needs from the function environment. */
export const responsesSettingsOf = (env: ResponsesEnv): ResponsesSettings => ({
  helpText: env[ENV.helpText],
  stopConfirmationText: env[ENV.stopConfirmationText],
  patterns: env[ENV.notificationPatterns],
  optOutThresholds: env[ENV.optOutThresholds],
  ...(env[ENV.originationIdentity] ? { senderNumber: env[ENV.originationIdentity] } : {}),
  ...(env[RESPONSES_ENV.phoneHashSalt] ? { phoneHashSalt: env[RESPONSES_ENV.phoneHashSalt] } : {}),
});

/**
 * Replies, opt-outs and the message log, record by record in shard order: a failing record
 * fails alone (and is retried), an undecodable one goes to the dead letter.
 */
export const createResponsesHandler = (deps: ResponsesHandlerDeps): KinesisHandler =>
  createConsumerHandler(
    "responses",
    (logger) => ({
      perRecord: async (events, recordId) => {
        const outcome = await processReplies(events, deps.ports, deps.settings);
        logger.debug("record handled", { recordId, ...outcome });
      },
      // A run of records that only log messages (the campaign's queued events) is one write.
      runs: {
        accepts: onlyLogsMessages,
        handle: async (events) => {
          const outcome = await logSentMessages(events, deps.ports);
          logger.debug("records handled", outcome);
        },
      },
    }),
    { ...deps.ports, observability: deps.observability },
  );

/** Lambda entry point: ports and settings from the environment, built at first invocation. */
export const handler: KinesisHandler = lazyHandler(() => {
  const env = parseEnv(ResponsesEnvSchema);
  const observability = observabilityFromEnv("responses", env);
  const options = clientOptionsOf(env);
  const sqs = traced(observability.tracer, new SQSClient(clientConfigOf(options, "sqs")));
  const sns = traced(observability.tracer, new SNSClient(clientConfigOf(options, "sns")));
  const documents = documentClientOf(
    traced(observability.tracer, new DynamoDBClient(clientConfigOf(options, "dynamodb"))),
  );
  const campaigns = new DynamoDbCampaignStore(documents, env[ENV.campaignsTable]);
  const consentLogTable = env[RESPONSES_ENV.consentLogTable];
  const revocationClocksTable = env[ENV.revocationClocksTable];
  const ports = {
    ...commonPortsOf(env, sqs),
    responses: new DynamoDbResponsesStore(documents, env[ENV.responsesTable]),
    optOuts: new DynamoDbOptOutStore(documents, env[ENV.optOutsTable]),
    optOutReviews: new DynamoDbOptOutReviewStore(documents, env[ENV.optOutReviewsTable]),
    messages: new DynamoDbMessageLog(documents, env[ENV.messageLogTable]),
    notifier: new SnsNotifier(sns, env[ENV.notificationTopicArn]),
    sender: smsSenderFor(env, observability.tracer),
    ...(consentLogTable ? { consentLog: new DynamoDbConsentLog(documents, consentLogTable) } : {}),
    ...(revocationClocksTable
      ? { revocations: new DynamoDbRevocationClockStore(documents, revocationClocksTable) }
      : {}),
    journeyRouting: {
      journeys: new DynamoDbJourneyStore(documents, env[ENV.journeysTable]),
      subscribers: new DynamoDbSubscriberDirectory(documents, env[ENV.subscribersTable]),
      // The code's journeys and every launched campaign's, so replies advance and count per branch.
      definitions: new JourneyCatalog(journeyDefinitions, campaigns),
      campaigns,
    },
  };
  return createResponsesHandler({
    // Erased numbers' events are dropped whole, a STOP included (their tombstone keeps them suppressed).
    ports: screenErased(ports, documents, env[ENV.optOutsTable], env[RESPONSES_ENV.phoneHashSalt]),
    settings: responsesSettingsOf(env),
    observability,
  });
});
