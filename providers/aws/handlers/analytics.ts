import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

import { activeBreaker } from "../../../core/campaign/circuit-breaker-setting";
import type { Ports } from "../../../core/ports";
import { type AnalyticsSettings, type BreakerPorts, runAnalytics } from "../../../core/processing/analytics";
import { DynamoDbCampaignStore } from "../runtime/campaign-store";
import { clientConfigOf } from "../runtime/client-config";
import { commonPortsOf } from "../runtime/common-ports";
import { documentClientOf } from "../runtime/dynamodb-support";
import { DynamoDbMessageLog } from "../runtime/message-log";
import { SnsNotifier } from "../runtime/notifier";
import { DynamoDbPendingReceiptStore } from "../runtime/pending-receipts";
import { AnalyticsEnvSchema, clientOptionsOf, ENV, parseEnv } from "../runtime/settings";
import { createConsumerHandler } from "./consumer-handler";
import { type KinesisHandler, lazyHandler } from "./lazy";
import { type Observability, observabilityFromEnv, traced } from "./observability";

export interface AnalyticsHandlerDeps {
  ports: Pick<Ports, "metrics" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">> &
    Partial<BreakerPorts>;
  /** With `circuitBreaker` (and the campaigns and notifier ports), it pauses campaigns that spike. */
  settings?: AnalyticsSettings;
  observability?: Observability;
}

/**
 * Campaign metrics for one batch, emitted as EMF, receipts completed from the message log (or parked until it knows them); a failed
 * emit fails every decodable record.
 */
export const createAnalyticsHandler = (deps: AnalyticsHandlerDeps): KinesisHandler =>
  createConsumerHandler(
    "analytics",
    (logger) => ({
      skipReplayed: true,
      wholeBatch: async (events) => {
        const datums = await runAnalytics(events, deps.ports, deps.settings);
        logger.debug("analytics emitted", { events: events.length, datums: datums.length });
      },
    }),
    { ...deps.ports, observability: deps.observability },
  );

/** Lambda entry point: ports and settings from the environment, built at first invocation. */
export const handler: KinesisHandler = lazyHandler(() => {
  const env = parseEnv(AnalyticsEnvSchema);
  const observability = observabilityFromEnv("analytics", env);
  const options = clientOptionsOf(env);
  const sqs = traced(observability.tracer, new SQSClient(clientConfigOf(options, "sqs")));
  const documents = documentClientOf(
    traced(observability.tracer, new DynamoDBClient(clientConfigOf(options, "dynamodb"))),
  );
  const circuitBreaker = activeBreaker(env[ENV.circuitBreaker]);
  const campaignsTable = env[ENV.campaignsTable];
  const topicArn = env[ENV.notificationTopicArn];
  const breaker =
    circuitBreaker && campaignsTable && topicArn
      ? {
          campaigns: new DynamoDbCampaignStore(documents, campaignsTable),
          notifier: new SnsNotifier(
            traced(observability.tracer, new SNSClient(clientConfigOf(options, "sns"))),
            topicArn,
          ),
        }
      : undefined;
  return createAnalyticsHandler({
    ports: {
      ...commonPortsOf(env, sqs),
      messages: new DynamoDbMessageLog(documents, env[ENV.messageLogTable]),
      pendingReceipts: new DynamoDbPendingReceiptStore(documents, env[ENV.pendingReceiptsTable]),
      ...breaker,
    },
    ...(breaker ? { settings: { circuitBreaker } } : {}),
    observability,
  });
});
