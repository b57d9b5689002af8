/**
 * The Functions Framework entry of every GCP function: each target (infra/environment.ts
 * FUNCTION_TARGETS) is registered here and builds its ports from the environment on first use.
 * Deploy one bundle of this file; each function's entry point picks its target.
 */
import * as functions from "@google-cloud/functions-framework";
import { FUNCTION_TARGETS } from "../infra/environment";
import { GcsArchiveStore } from "../runtime/archive-store";
import { createGcpClients, orderedTopic } from "../runtime/clients";
import { SystemClock } from "../runtime/clock";
import { PubSubDeadLetter } from "../runtime/dead-letter";
import { FirestoreMessageLog } from "../runtime/message-log";
import { LogMetricsSink } from "../runtime/metrics-sink";
import { PubSubNotifier } from "../runtime/notifier";
import { FirestoreOptOutStore } from "../runtime/opt-out-store";
import { FirestoreResponsesStore } from "../runtime/responses-store";
import {
  AnalyticsEnvSchema,
  ArchiveEnvSchema,
  ENV,
  parseEnv,
  ResponsesEnvSchema,
  WebhookEnvSchema,
} from "../runtime/settings";
import { smsSenderFor } from "../runtime/sms-sender";
import { createAnalyticsHandler } from "./analytics";
import { createArchiveHandler } from "./archive";
import { lazy } from "./lazy";
import { createResponsesHandler, responsesSettingsOf } from "./responses";
import { createTwilioWebhook } from "./twilio-webhook";

type Common = ReturnType<typeof parseEnv<typeof AnalyticsEnvSchema>>;
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
    return createAnalyticsHandler({
      ports: {
        ...commonPorts(env, pubsub),
        messages: new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]),
        metrics: new LogMetricsSink({ namespace: env[ENV.metricNamespace] }),
      },
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
    return createResponsesHandler({
      ports: {
        ...commonPorts(env, pubsub),
        responses: new FirestoreResponsesStore(firestore, env[ENV.responsesCollection]),
        optOuts: new FirestoreOptOutStore(firestore, env[ENV.optOutsCollection]),
        messages: new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]),
        notifier: new PubSubNotifier(pubsub.topic(env[ENV.notificationTopic])),
        sender: smsSenderFor(env),
      },
      settings: responsesSettingsOf(env),
    });
  }),
);

functions.cloudEvent(
  FUNCTION_TARGETS.archive,
  lazy(() => {
    const env = parseEnv(ArchiveEnvSchema);
    const { pubsub, storage, firestore } = createGcpClients({
      projectId: env[ENV.project],
      databaseId: env[ENV.firestoreDatabase],
    });
    return createArchiveHandler({
      ports: {
        ...commonPorts(env, pubsub),
        messages: new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]),
        archive: new GcsArchiveStore(storage.bucket(env[ENV.archiveBucket]), {
          keyPrefix: env[ENV.archivePrefix],
        }),
      },
    });
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
