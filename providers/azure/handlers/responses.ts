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
import { CosmosCampaignStore } from "../runtime/campaign-store";
import { cosmosContainerOf, lazyCredential, serviceBusClientOf } from "../runtime/clients";
import { commonPortsOf } from "../runtime/common-ports";
import { consentLogOf } from "../runtime/consent-log";
import { screenErased } from "../runtime/erasure-tombstones";
import { CosmosJourneyStore } from "../runtime/journey-store";
import { CosmosMessageLog } from "../runtime/message-log";
import { ServiceBusNotifier } from "../runtime/notifier";
import { CosmosOptOutReviewStore } from "../runtime/opt-out-reviews";
import { CosmosOptOutStore } from "../runtime/opt-out-store";
import { CosmosResponsesStore } from "../runtime/responses-store";
import { CosmosRevocationClockStore } from "../runtime/revocation-clocks";
import { ENV, parseEnv, type ResponsesEnv, ResponsesEnvSchema } from "../runtime/settings";
import { smsSenderFor } from "../runtime/sms-sender";
import { CosmosSubscriberDirectory } from "../runtime/subscriber-directory";
import { type ConsumerHandlerDeps, createConsumerHandler, lazyHandler } from "./consumer-handler";

export interface ResponsesHandlerDeps extends Omit<ConsumerHandlerDeps, "deadLetter" | "clock" | "metrics"> {
  ports: ResponsesPorts & Pick<Ports, "deadLetter" | "metrics">;
  settings: ResponsesSettings;
}

/** What core's responses consumer needs from the app settings. */
export const responsesSettingsOf = (env: ResponsesEnv): ResponsesSettings => ({
  helpText: env[ENV.helpText],
  stopConfirmationText: env[ENV.stopConfirmationText],
  patterns: env[ENV.notificationPatterns],
  optOutThresholds: env[ENV.optOutThresholds],
  ...(env[ENV.senderNumber] ? { senderNumber: env[ENV.senderNumber] } : {}),
  ...(env[RESPONSES_ENV.phoneHashSalt] ? { phoneHashSalt: env[RESPONSES_ENV.phoneHashSalt] } : {}),
});

/**
 * Replies, opt-outs and the message log, record by record in partition order. Replies also advance
 * journeys (journeyRouting): the code's and every launched campaign's, found through the catalog.
 * Consecutive records that only log messages are handled together (core's RecordRuns).
 */
export const createResponsesHandler = (deps: ResponsesHandlerDeps) =>
  createConsumerHandler(
    "responses",
    (log) => ({
      perRecord: async (events) => {
        await processReplies(events, deps.ports, deps.settings);
      },
      // A run of records that only log messages (the campaign's queued events) is one call.
      runs: {
        accepts: onlyLogsMessages,
        handle: async (events) => {
          const outcome = await logSentMessages(events, deps.ports);
          log.log("records handled", outcome);
        },
      },
    }),
    { ...deps, ...deps.ports },
  );

/** Functions entry: ports and settings from the app settings, built at first invocation. */
export const handler = lazyHandler(() => {
  const env = parseEnv(ResponsesEnvSchema);
  const credential = lazyCredential(env);
  const serviceBus = serviceBusClientOf(env, credential);
  const cosmos = cosmosContainerOf(env, credential);
  const common = commonPortsOf(env, serviceBus, { credential });
  const campaigns = new CosmosCampaignStore(cosmos(env[ENV.campaignsContainer]));
  const revocationClocks = env[ENV.revocationClocksContainer];
  const ports = {
    ...common,
    responses: new CosmosResponsesStore(cosmos(env[ENV.responsesContainer])),
    optOuts: new CosmosOptOutStore(cosmos(env[ENV.optOutsContainer])),
    optOutReviews: new CosmosOptOutReviewStore(cosmos(env[ENV.optOutReviewsContainer])),
    messages: new CosmosMessageLog(cosmos(env[ENV.messageLogContainer])),
    notifier: new ServiceBusNotifier(serviceBus.createSender(env[ENV.notificationTopic])),
    sender: smsSenderFor(env[ENV.acsEndpoint], env[ENV.senderNumber], credential),
    ...(revocationClocks ? { revocations: new CosmosRevocationClockStore(cosmos(revocationClocks)) } : {}),
    ...consentLogOf(env[RESPONSES_ENV.consentLogContainer], cosmos),
    journeyRouting: {
      journeys: new CosmosJourneyStore(cosmos(env[ENV.journeysContainer])),
      subscribers: new CosmosSubscriberDirectory(cosmos(env[ENV.subscribersContainer])),
      definitions: new JourneyCatalog(journeyDefinitions, campaigns),
      campaigns,
    },
  };
  return createResponsesHandler({
    // Erased numbers' events are dropped whole, a STOP included (their tombstone keeps them suppressed).
    ports: screenErased(ports, () => cosmos(env[ENV.optOutsContainer]), env[RESPONSES_ENV.phoneHashSalt]),
    settings: responsesSettingsOf(env),
    maxAttempts: env[ENV.recordMaxAttempts],
  });
});
