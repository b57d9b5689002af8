/**
 * The GCP stack's three consumer functions, built from their handler factories with the local
 * adapters and served by the Functions Framework, each fed by its own push driver.
 */
import type { DeadLetter, Notifier } from "../../../core/ports";
import { createAnalyticsHandler } from "../../gcp/handlers/analytics";
import { createArchiveHandler } from "../../gcp/handlers/archive";
import type { PubSubCloudEventHandler } from "../../gcp/handlers/pubsub-consumer";
import { createResponsesHandler } from "../../gcp/handlers/responses";
import { FUNCTION_TARGETS } from "../../gcp/infra/environment";
import type { GcsArchiveStore } from "../../gcp/runtime/archive-store";
import { SystemClock } from "../../gcp/runtime/clock";
import type { RunStores } from "../run/stores";
import type { ConsumerName, ConsumerWiring } from "./local-cloud";

export interface GcpConsumerDeps {
  wiring: ConsumerWiring;
  stores: RunStores;
  deadLetter: DeadLetter;
  notifier: Notifier;
  archive: GcsArchiveStore;
}

export function buildGcpConsumers(deps: GcpConsumerDeps): Record<ConsumerName, PubSubCloudEventHandler> {
  const clock = new SystemClock();
  const { wiring, stores, deadLetter } = deps;
  return {
    analytics: createAnalyticsHandler({
      ports: {
        metrics: wiring.metrics,
        messages: stores.messages,
        pendingReceipts: stores.pendingReceipts,
        deadLetter,
        clock,
        campaigns: stores.campaigns,
        notifier: deps.notifier,
      },
      ...(wiring.circuitBreaker ? { settings: { circuitBreaker: wiring.circuitBreaker } } : {}),
    }),
    responses: createResponsesHandler({
      ports: {
        responses: stores.responses,
        optOuts: stores.optOuts,
        optOutReviews: stores.optOutReviews,
        messages: stores.messages,
        ...(stores.consentLog ? { consentLog: stores.consentLog } : {}),
        revocations: stores.revocations,
        notifier: deps.notifier,
        sender: wiring.autoReplies,
        deadLetter,
        // The run's simulated clock, as on AWS (see ConsumerWiring.responsesClock).
        clock: wiring.responsesClock,
        journeyRouting: wiring.journeyRouting,
      },
      settings: wiring.responsesSettings,
    }),
    archive: createArchiveHandler({
      ports: {
        archive: deps.archive,
        messages: stores.messages,
        pendingReceipts: stores.pendingReceipts,
        deadLetter,
        clock,
      },
    }),
  };
}

export const CONSUMER_TARGETS: Record<ConsumerName, string> = {
  analytics: FUNCTION_TARGETS.analytics,
  responses: FUNCTION_TARGETS.responses,
  archive: FUNCTION_TARGETS.archive,
};
