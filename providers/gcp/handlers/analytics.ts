import type { Ports } from "../../../core/ports";
import { runAnalytics } from "../../../core/processing/analytics";
import { createPubSubConsumer, type PubSubCloudEventHandler } from "./pubsub-consumer";

export interface AnalyticsHandlerDeps {
  ports: Pick<Ports, "metrics" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">>;
}

/** Campaign metrics for one message's events, as log lines the log-based metrics count. */
export const createAnalyticsHandler = (deps: AnalyticsHandlerDeps): PubSubCloudEventHandler =>
  createPubSubConsumer(
    "analytics",
    {
      skipReplayed: true,
      wholeBatch: async (events) => {
        await runAnalytics(events, deps.ports);
      },
    },
    deps.ports,
  );
