import type { Ports } from "../../../core/ports";
import {
  processReplies,
  type ResponsesPorts,
  type ResponsesSettings,
} from "../../../core/processing/responses";
import { ENV, type ResponsesEnv } from "../runtime/settings";
import { createPubSubConsumer, type PubSubCloudEventHandler } from "./pubsub-consumer";

export interface ResponsesHandlerDeps {
  ports: ResponsesPorts & Pick<Ports, "deadLetter">;
  settings: ResponsesSettings;
}

/** What core's responses consumer needs from the function environment. */
export const responsesSettingsOf = (env: ResponsesEnv): ResponsesSettings => ({
  helpText: env[ENV.helpText],
  stopConfirmationText: env[ENV.stopConfirmationText],
  patterns: env[ENV.notificationPatterns],
  ...(env[ENV.phoneHashSalt] ? { phoneHashSalt: env[ENV.phoneHashSalt] } : {}),
  optOutThresholds: env[ENV.optOutThresholds],
});

/**
 * Replies, opt-outs and the message log for one message; every write is idempotent on the event id.
 * No `runs` hook (AWS and Azure batch runs of queued events into one call): Pub/Sub push brings
 * one message per invocation, and a run needs two records, so it would never be taken.
 */
export const createResponsesHandler = (deps: ResponsesHandlerDeps): PubSubCloudEventHandler =>
  createPubSubConsumer(
    "responses",
    {
      perRecord: async (events) => {
        await processReplies(events, deps.ports, deps.settings);
      },
    },
    deps.ports,
  );
