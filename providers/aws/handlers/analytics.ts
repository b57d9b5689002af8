import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import type { Ports } from "../../../core/ports";
import { runAnalytics } from "../../../core/processing/analytics";
import { clientConfigOf } from "../runtime/client-config";
import { commonPortsOf } from "../runtime/common-ports";
import { AnalyticsEnvSchema, clientOptionsOf, parseEnv } from "../runtime/settings";
import { runKinesisBatch } from "./kinesis-batch";
import { type KinesisHandler, lazyHandler } from "./lazy";
import {
  createObservability,
  type Observability,
  observabilityFromEnv,
  publishBatchMetrics,
  traced,
} from "./observability";

export interface AnalyticsHandlerDeps {
  ports: Pick<Ports, "metrics" | "deadLetter" | "clock">;
  observability?: Observability;
}

/** Campaign metrics for one batch, emitted as EMF; a failed emit fails every decodable record. */
export const createAnalyticsHandler = (deps: AnalyticsHandlerDeps): KinesisHandler => {
  const { logger, metrics } = deps.observability ?? createObservability("analytics");
  return async (event: KinesisStreamEvent, context?: Context): Promise<KinesisStreamBatchResponse> => {
    if (context) logger.addContext(context);
    const { response } = await runKinesisBatch(
      event,
      {
        wholeBatch: async (events) => {
          const datums = await runAnalytics(events, deps.ports);
          logger.debug("analytics emitted", { events: events.length, datums: datums.length });
        },
      },
      {
        consumer: "analytics",
        deadLetter: deps.ports.deadLetter,
        clock: deps.ports.clock,
        logger,
        onOutcome: (outcome) => publishBatchMetrics(metrics, outcome, event.Records.length),
      },
      context,
    );
    return response;
  };
};

/** Lambda entry point: ports and settings from the environment, built at first invocation. */
export const handler: KinesisHandler = lazyHandler(() => {
  const env = parseEnv(AnalyticsEnvSchema);
  const observability = observabilityFromEnv("analytics", env);
  const sqs = traced(observability.tracer, new SQSClient(clientConfigOf(clientOptionsOf(env), "sqs")));
  return createAnalyticsHandler({ ports: commonPortsOf(env, sqs), observability });
});
