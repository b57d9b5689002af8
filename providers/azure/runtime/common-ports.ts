import type { TokenCredential } from "@azure/identity";
import type { ServiceBusClient } from "@azure/service-bus";
import type { Clock, DeadLetter, MetricsSink } from "../../../core/ports";
import { SystemClock } from "./clock";
import { ServiceBusDeadLetter } from "./dead-letter";
import { AppInsightsMetricsSink, type IngestionTransport } from "./metrics-sink";
import { type CommonEnv, ENV } from "./settings";

/** The scope of an Entra ID token for Azure Monitor ingestion. */
export const MONITOR_SCOPE = "https://monitor.azure.com/.default";

/** True when the settings ask for Entra ID ingestion (`...;Authorization=AAD`). */
export const usesEntraIngestion = (env: CommonEnv): boolean =>
  /(^|;)\s*Authorization\s*=\s*AAD\s*(;|$)/i.test(env[ENV.appInsightsAuthentication] ?? "");

/**
 * The ports every function uses: the clock, the Service Bus dead letter and the metrics sink (with
 * an Entra ID token from `credential` when the component disables local auth).
 */
export const commonPortsOf = (
  env: CommonEnv,
  serviceBus: ServiceBusClient,
  options: { clock?: Clock; metricsTransport?: IngestionTransport; credential?: () => TokenCredential } = {},
): { clock: Clock; deadLetter: DeadLetter; metrics: MetricsSink } => ({
  clock: options.clock ?? new SystemClock(),
  deadLetter: new ServiceBusDeadLetter(serviceBus.createSender(env[ENV.deadLetterQueue])),
  metrics: new AppInsightsMetricsSink({
    connectionString: env[ENV.appInsightsConnectionString],
    namespace: env[ENV.metricNamespace],
    roleName: env[ENV.serviceName],
    ...(options.metricsTransport ? { transport: options.metricsTransport } : {}),
    ...(options.credential && usesEntraIngestion(env) ? { getToken: tokenOf(options.credential) } : {}),
  }),
});

/** A bearer token getter; the credential caches and refreshes tokens itself. */
const tokenOf = (credential: () => TokenCredential) => async (): Promise<string> => {
  const token = await credential().getToken(MONITOR_SCOPE);
  if (!token) throw new Error(`no Entra ID token for ${MONITOR_SCOPE}`);
  return token.token;
};
