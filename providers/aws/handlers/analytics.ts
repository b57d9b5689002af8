import { SQSClient } from "@aws-sdk/client-sqs";

import type { Ports } from "../../../core/ports";
import { runAnalytics } from "../../../core/processing/analytics";
import { clientConfigOf } from "../runtime/client-config";
import { commonPortsOf } from "../runtime/common-ports";
import { AnalyticsEnvSchema, clientOptionsOf, parseEnv } from "../runtime/settings";
import { createConsumerHandler } from "./consumer-handler";
import { type KinesisHandler, lazyHandler } from "./lazy";
import { type Observability, observabilityFromEnv, traced } from "./observability";

export interface AnalyticsHandlerDeps {
  ports: Pick<Ports, "metrics" | "deadLetter" | "clock">;
  observability?: Observability;
}

/** Campaign metrics for one batch, emitted as EMF; a failed emit fails every decodable record. */
export const createAnalyticsHandler = (deps: AnalyticsHandlerDeps): KinesisHandler =>
  createConsumerHandler(
    "analytics",
    (logger) => ({
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
  const sqs = traced(observability.tracer, new SQSClient(clientConfigOf(clientOptionsOf(env), "sqs")));
  return createAnalyticsHandler({ ports: commonPortsOf(env, sqs), observability });
});
