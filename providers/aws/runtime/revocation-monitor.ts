import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { CampaignTickerPorts } from "../../../core/campaign/ticker";
import type { RevocationMonitor } from "../../../core/processing/revocation-sla";
import { RESPONSES_ENV } from "../infra/environment";
import { clientConfigOf } from "./client-config";
import { DynamoDbConsentLog } from "./consent-log";
import { documentClientOf } from "./dynamodb-support";
import { DynamoDbMessageLog } from "./message-log";
import { EmfMetricsSink } from "./metrics-sink";
import { DynamoDbRevocationClockStore } from "./revocation-clocks";
import { clientOptionsOf, ENV, TICKER_ENV, type TickerEnv } from "./settings";

/**
 * The revocation SLA monitor the ticker runs after each tick, on the ticker's own stores plus the
 * clocks, the message log, the consent evidence and the EMF sink; none without the clocks table.
 */
export function revocationMonitorOf(
  env: TickerEnv,
  ports: Pick<CampaignTickerPorts, "clock" | "optOuts" | "optOutReviews" | "journeys" | "subscribers">,
): RevocationMonitor | undefined {
  const clocksTable = env[ENV.revocationClocksTable];
  if (!clocksTable) return undefined;
  const documents = documentClientOf(new DynamoDBClient(clientConfigOf(clientOptionsOf(env), "dynamodb")));
  const consentLogTable = env[RESPONSES_ENV.consentLogTable];
  return {
    ports: {
      ...ports,
      revocations: new DynamoDbRevocationClockStore(documents, clocksTable),
      messages: new DynamoDbMessageLog(documents, env[ENV.messageLogTable]),
      metrics: new EmfMetricsSink({ namespace: env[ENV.metricNamespace], serviceName: env[ENV.serviceName] }),
      ...(consentLogTable ? { consentLog: new DynamoDbConsentLog(documents, consentLogTable) } : {}),
    },
    settings: { windowMinutes: env[TICKER_ENV.revocationSlaMinutes] },
  };
}
