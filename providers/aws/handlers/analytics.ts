import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";

import type { Ports } from "../../../core/ports";
import { runAnalytics } from "../../../core/processing/analytics";
import { clientConfigOf } from "../runtime/client-config";
import { commonPortsOf } from "../runtime/common-ports";
import { documentClientOf } from "../runtime/dynamodb-support";
import { DynamoDbMessageLog } from "../runtime/message-log";
import { DynamoDbPendingReceiptStore } from "../runtime/pending-receipts";
import { AnalyticsEnvSchema, clientOptionsOf, ENV, parseEnv } from "../runtime/settings";
import { createConsumerHandler } from "./consumer-handler";
import { type KinesisHandler, lazyHandler } from "./lazy";
import { type Observability, observabilityFromEnv, traced } from "./observability";

export interface AnalyticsHandlerDeps {
  ports: Pick<Ports, "metrics" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">>;
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
        const datums = await runAnalytics(events, deps.ports);
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
  return createAnalyticsHandler({
    ports: {
      ...commonPortsOf(env, sqs),
      messages: new DynamoDbMessageLog(documents, env[ENV.messageLogTable]),
      pendingReceipts: new DynamoDbPendingReceiptStore(documents, env[ENV.pendingReceiptsTable]),
    },
    observability,
  });
});
