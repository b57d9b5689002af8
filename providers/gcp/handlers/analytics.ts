import type { Ports } from "../../../core/ports";
import { type AnalyticsSettings, type BreakerPorts, runAnalytics } from "../../../core/processing/analytics";
import { createPubSubConsumer, type PubSubCloudEventHandler } from "./pubsub-consumer";

export interface AnalyticsHandlerDeps {
  ports: Pick<Ports, "metrics" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">> &
    Partial<BreakerPorts>;
  /** With `circuitBreaker` (and the campaigns and notifier ports), it pauses campaigns that spike. */
  settings?: AnalyticsSettings;
}

/** Campaign metrics for one message's events, as log lines the log-based metrics count. */
export const createAnalyticsHandler = (deps: AnalyticsHandlerDeps): PubSubCloudEventHandler =>
  createPubSubConsumer(
    "analytics",
    {
      skipReplayed: true,
      wholeBatch: async (events) => {
        await runAnalytics(events, deps.ports, deps.settings);
      },
    },
    deps.ports,
  );
