import type { Ports } from "../../../core/ports";
import { runAnalytics } from "../../../core/processing/analytics";
import { cosmosContainerOf, lazyCredential, serviceBusClientOf } from "../runtime/clients";
import { commonPortsOf } from "../runtime/common-ports";
import { CosmosMessageLog } from "../runtime/message-log";
import { CosmosPendingReceiptStore } from "../runtime/pending-receipts";
import { AnalyticsEnvSchema, ENV, parseEnv } from "../runtime/settings";
import { type ConsumerHandlerDeps, createConsumerHandler, lazyHandler } from "./consumer-handler";

export interface AnalyticsHandlerDeps extends Omit<ConsumerHandlerDeps, "deadLetter" | "clock" | "metrics"> {
  ports: Pick<Ports, "metrics" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">>;
}

/**
 * Campaign metrics for one batch, as Application Insights custom metrics, receipts completed from
 * the message log (or parked until it knows them); a failed emit fails the batch's records.
 */
export const createAnalyticsHandler = (deps: AnalyticsHandlerDeps) =>
  createConsumerHandler(
    "analytics",
    () => ({
      skipReplayed: true,
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
  const cosmos = cosmosContainerOf(env, credential);
  const ports = {
    ...commonPortsOf(env, serviceBusClientOf(env, credential), { credential }),
    messages: new CosmosMessageLog(cosmos(env[ENV.messageLogContainer])),
    pendingReceipts: new CosmosPendingReceiptStore(cosmos(env[ENV.pendingReceiptsContainer])),
  };
  return createAnalyticsHandler({ ports, maxAttempts: env[ENV.recordMaxAttempts] });
});
