import type { Firestore } from "@google-cloud/firestore";
import type { CampaignTickerPorts } from "../../../core/campaign/ticker";
import type { RevocationMonitor } from "../../../core/processing/revocation-sla";
import { FirestoreMessageLog } from "./message-log";
import { LogMetricsSink } from "./metrics-sink";
import { FirestoreRevocationClockStore } from "./revocation-clocks";
import { ENV, type TickerEnv } from "./settings";

/**
 * The revocation SLA monitor the ticker runs after each tick, on the ticker's own stores plus the
 * clocks, the message log and the log-based metrics sink; none without the clocks collection.
 */
export function revocationMonitorOf(
  env: TickerEnv,
  firestore: Firestore,
  ports: Pick<CampaignTickerPorts, "clock" | "optOuts" | "optOutReviews" | "journeys" | "subscribers">,
): RevocationMonitor | undefined {
  const clocks = env[ENV.revocationClocksCollection];
  const messages = env[ENV.messageLogCollection];
  if (!clocks || !messages) return undefined;
  return {
    ports: {
      ...ports,
      revocations: new FirestoreRevocationClockStore(firestore, clocks),
      messages: new FirestoreMessageLog(firestore, messages),
      metrics: new LogMetricsSink({ namespace: env[ENV.metricNamespace] }),
    },
    settings: { windowMinutes: env[ENV.revocationSlaMinutes] },
  };
}
