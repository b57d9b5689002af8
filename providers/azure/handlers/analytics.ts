import type { Ports } from "../../../core/ports";
import { runAnalytics } from "../../../core/processing/analytics";
import { cosmosContainerOf, lazyCredential, serviceBusClientOf } from "../runtime/clients";
import { commonPortsOf } from "../runtime/common-ports";
import { CosmosMessageLog } from "../runtime/message-log";
import { AnalyticsEnvSchema, ENV, parseEnv } from "../runtime/settings";
import { type ConsumerHandlerDeps, createConsumerHandler, lazyHandler } from "./consumer-handler";

export interface AnalyticsHandlerDeps extends Omit<ConsumerHandlerDeps, "deadLetter" | "clock" | "metrics"> {
  ports: Pick<Ports, "metrics" | "messages" | "deadLetter" | "clock">;
}

/**
 * Campaign metrics for one batch, as Application Insights custom metrics, receipts completed from
 * the message log; a failed emit fails the batch's records.
 */
export const createAnalyticsHandler = (deps: AnalyticsHandlerDeps) =>
  createConsumerHandler(
    "analytics",
    () => ({
      wholeBatch: async (events) => {
        await runAnalytics(events, deps.ports);
      },
    }),
    { ...deps, ...deps.ports },
  );

/** Functions entry: ports from the app settings, built at first invocation. */
export const handler = lazyHandler(() => {
  const env = parseEnv(AnalyticsEnvSchema);
  const credential = lazyCredential(env);
  const ports = {
    ...commonPortsOf(env, serviceBusClientOf(env, credential), { credential }),
    messages: new CosmosMessageLog(cosmosContainerOf(env, credential)(env[ENV.messageLogContainer])),
  };
  return createAnalyticsHandler({ ports, maxAttempts: env[ENV.recordMaxAttempts] });
});
