import { activeBreaker } from "../../../core/campaign/circuit-breaker-setting";
import type { Ports } from "../../../core/ports";
import { type AnalyticsSettings, type BreakerPorts, runAnalytics } from "../../../core/processing/analytics";
import { CosmosCampaignStore } from "../runtime/campaign-store";
import { cosmosContainerOf, lazyCredential, serviceBusClientOf } from "../runtime/clients";
import { commonPortsOf } from "../runtime/common-ports";
import { CosmosMessageLog } from "../runtime/message-log";
import { ServiceBusNotifier } from "../runtime/notifier";
import { CosmosPendingReceiptStore } from "../runtime/pending-receipts";
import { AnalyticsEnvSchema, ENV, parseEnv } from "../runtime/settings";
import { type ConsumerHandlerDeps, createConsumerHandler, lazyHandler } from "./consumer-handler";

export interface AnalyticsHandlerDeps extends Omit<ConsumerHandlerDeps, "deadLetter" | "clock" | "metrics"> {
  ports: Pick<Ports, "metrics" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">> &
    Partial<BreakerPorts>;
  /** With `circuitBreaker` (and the campaigns and notifier ports), it pauses campaigns that spike. */
  settings?: AnalyticsSettings;
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
        await runAnalytics(events, deps.ports, deps.settings);
      },
    }),
    { ...deps, ...deps.ports },
  );

/** Functions entry: ports from the app settings, built at first invocation. */
export const handler = lazyHandler(() => {
  const env = parseEnv(AnalyticsEnvSchema);
  const credential = lazyCredential(env);
  const cosmos = cosmosContainerOf(env, credential);
  const serviceBus = serviceBusClientOf(env, credential);
  const circuitBreaker = activeBreaker(env[ENV.circuitBreaker]);
  const campaignsContainer = env[ENV.campaignsContainer];
  const topic = env[ENV.notificationTopic];
  const breaker =
    circuitBreaker && campaignsContainer && topic
      ? {
          campaigns: new CosmosCampaignStore(cosmos(campaignsContainer)),
          notifier: new ServiceBusNotifier(serviceBus.createSender(topic)),
        }
      : undefined;
  const ports = {
    ...commonPortsOf(env, serviceBus, { credential }),
    messages: new CosmosMessageLog(cosmos(env[ENV.messageLogContainer])),
    pendingReceipts: new CosmosPendingReceiptStore(cosmos(env[ENV.pendingReceiptsContainer])),
    ...breaker,
  };
  return createAnalyticsHandler({
    ports,
    ...(breaker ? { settings: { circuitBreaker } } : {}),
    maxAttempts: env[ENV.recordMaxAttempts],
  });
});
