/**
 * The Functions Framework entry of every GCP function: each target (infra/environment.ts
 * FUNCTION_TARGETS) is registered here and builds its ports from the environment on first use.
 * Deploy one bundle of this file; each function's entry point picks its target.
 */
import type { Firestore } from "@google-cloud/firestore";
import * as functions from "@google-cloud/functions-framework";
import { activeBreaker } from "../../../core/campaign/circuit-breaker-setting";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { journeyDefinitions } from "../../../journeys";
import { FUNCTION_TARGETS } from "../infra/environment";
import { GcsAudienceSource } from "../runtime/audience-source";
import { FirestoreCampaignStore } from "../runtime/campaign-store";
import { createGcpClients, orderedTopic } from "../runtime/clients";
import { SystemClock } from "../runtime/clock";
import { consentLogOf } from "../runtime/consent-log";
import { PubSubDeadLetter } from "../runtime/dead-letter";
import { screenErased } from "../runtime/erasure-tombstones";
import { journeyPortsOf } from "../runtime/journey-ports";
import { FirestoreJourneyStore } from "../runtime/journey-store";
import { FirestoreMessageLog } from "../runtime/message-log";
import { LogMetricsSink } from "../runtime/metrics-sink";
import { PubSubNotifier } from "../runtime/notifier";
import { FirestoreOptOutReviewStore } from "../runtime/opt-out-reviews";
import { FirestoreOptOutStore } from "../runtime/opt-out-store";
import { FirestorePendingReceiptStore } from "../runtime/pending-receipts";
import { FirestoreResponsesStore } from "../runtime/responses-store";
import { FirestoreRevocationClockStore } from "../runtime/revocation-clocks";
import { revocationMonitorOf } from "../runtime/revocation-monitor";
import {
  AnalyticsEnvSchema,
  ArchiveEnvSchema,
  ENV,
  EnrollmentEnvSchema,
  parseEnv,
  ResponsesEnvSchema,
  TickerEnvSchema,
  WebhookEnvSchema,
} from "../runtime/settings";
import { smsSenderFor } from "../runtime/sms-sender";
import { FirestoreSubscriberDirectory } from "../runtime/subscriber-directory";
import { createAnalyticsHandler } from "./analytics";
import { archivePortsOf, createArchiveHandler } from "./archive";
import { createEnrollmentHandler } from "./enrollment";
import { lazy } from "./lazy";
import { createResponsesHandler, responsesSettingsOf } from "./responses";
import { createTicker, createTickerHttpHandler, tickerSettingsOf } from "./ticker";
import { createTwilioWebhook } from "./twilio-webhook";

/** Opt-outs start their revocation SLA clock where the stack names the clocks collection. */
const revocationsOf = (firestore: Firestore, collection: string | undefined) =>
  collection ? { revocations: new FirestoreRevocationClockStore(firestore, collection) } : {};

type Common = Pick<ReturnType<typeof parseEnv<typeof AnalyticsEnvSchema>>, typeof ENV.deadLetterTopic>;
const commonPorts = (env: Common, pubsub: ReturnType<typeof createGcpClients>["pubsub"]) => ({
  clock: new SystemClock(),
  deadLetter: new PubSubDeadLetter(pubsub.topic(env[ENV.deadLetterTopic])),
});

functions.cloudEvent(
  FUNCTION_TARGETS.analytics,
  lazy(() => {
    const env = parseEnv(AnalyticsEnvSchema);
    const { pubsub, firestore } = createGcpClients({
      projectId: env[ENV.project],
      databaseId: env[ENV.firestoreDatabase],
    });
    const circuitBreaker = activeBreaker(env[ENV.circuitBreaker]);
    const campaignsCollection = env[ENV.campaignsCollection];
    const topic = env[ENV.notificationTopic];
    const breaker =
      circuitBreaker && campaignsCollection && topic
        ? {
            campaigns: new FirestoreCampaignStore(firestore, campaignsCollection),
            notifier: new PubSubNotifier(pubsub.topic(topic)),
          }
        : undefined;
    return createAnalyticsHandler({
      ports: {
        ...commonPorts(env, pubsub),
        messages: new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]),
        pendingReceipts: new FirestorePendingReceiptStore(firestore, env[ENV.pendingReceiptsCollection]),
        metrics: new LogMetricsSink({ namespace: env[ENV.metricNamespace] }),
        ...breaker,
      },
      ...(breaker ? { settings: { circuitBreaker } } : {}),
    });
  }),
);

functions.cloudEvent(
  FUNCTION_TARGETS.responses,
  lazy(() => {
    const env = parseEnv(ResponsesEnvSchema);
    const { pubsub, firestore } = createGcpClients({
      projectId: env[ENV.project],
      databaseId: env[ENV.firestoreDatabase],
    });
    const campaigns = new FirestoreCampaignStore(firestore, env[ENV.campaignsCollection]);
    const ports = {
      ...commonPorts(env, pubsub),
      responses: new FirestoreResponsesStore(firestore, env[ENV.responsesCollection]),
      optOuts: new FirestoreOptOutStore(firestore, env[ENV.optOutsCollection]),
      optOutReviews: new FirestoreOptOutReviewStore(firestore, env[ENV.optOutReviewsCollection]),
      messages: new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]),
      ...consentLogOf(firestore, env[ENV.consentLogCollection]),
      notifier: new PubSubNotifier(pubsub.topic(env[ENV.notificationTopic])),
      sender: smsSenderFor(env),
      ...revocationsOf(firestore, env[ENV.revocationClocksCollection]),
      // Replies move journeys: STOP ends them all, a keyword takes its branch (the ticker sends it).
      journeyRouting: {
        journeys: new FirestoreJourneyStore(firestore, env[ENV.journeysCollection]),
        subscribers: new FirestoreSubscriberDirectory(firestore, env[ENV.subscribersCollection]),
        definitions: new JourneyCatalog(journeyDefinitions, campaigns),
        campaigns,
      },
    };
    return createResponsesHandler({
      // Erased numbers' events are dropped whole, a STOP included (their tombstone keeps them suppressed).
      ports: screenErased(ports, firestore, env[ENV.optOutsCollection], env[ENV.phoneHashSalt]),
      settings: responsesSettingsOf(env),
    });
  }),
);

functions.cloudEvent(
  FUNCTION_TARGETS.archive,
  lazy(() => {
    const env = parseEnv(ArchiveEnvSchema);
    const clients = createGcpClients({ projectId: env[ENV.project], databaseId: env[ENV.firestoreDatabase] });
    return createArchiveHandler({ ports: archivePortsOf(env, clients) });
  }),
);

functions.http(
  FUNCTION_TARGETS.webhook,
  lazy(() => {
    const env = parseEnv(WebhookEnvSchema);
    const { pubsub } = createGcpClients({ projectId: env[ENV.project] });
    return createTwilioWebhook({
      authToken: env[ENV.twilioAuthToken],
      topic: orderedTopic(pubsub, env[ENV.eventsTopic]),
      publicUrl: env[ENV.webhookPublicUrl],
    });
  }),
);

functions.http(
  FUNCTION_TARGETS.ticker,
  lazy(() => {
    const env = parseEnv(TickerEnvSchema);
    const clients = createGcpClients({ projectId: env[ENV.project], databaseId: env[ENV.firestoreDatabase] });
    const ports = { ...journeyPortsOf(env, clients), sender: smsSenderFor(env) };
    const revocationMonitor = revocationMonitorOf(env, clients.firestore, ports);
    const tick = createTicker({
      ports,
      settings: tickerSettingsOf(env),
      ...(revocationMonitor ? { revocationMonitor } : {}),
    });
    return createTickerHttpHandler(tick);
  }),
);

functions.cloudEvent(
  FUNCTION_TARGETS.enrollment,
  lazy(() => {
    const env = parseEnv(EnrollmentEnvSchema);
    const clients = createGcpClients({ projectId: env[ENV.project], databaseId: env[ENV.firestoreDatabase] });
    return createEnrollmentHandler({
      ports: { ...journeyPortsOf(env, clients), ...commonPorts(env, clients.pubsub) },
      audience: new GcsAudienceSource(clients.storage.bucket(env[ENV.audienceBucket])),
      nextChunks: clients.pubsub.topic(env[ENV.enrollmentTopic]),
      chunkRows: env[ENV.enrollmentChunkRows],
    });
  }),
);
