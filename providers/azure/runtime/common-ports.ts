import type { ServiceBusClient } from "@azure/service-bus";
import type { Clock, DeadLetter, MetricsSink } from "../../../core/ports";
import { SystemClock } from "./clock";
import { ServiceBusDeadLetter } from "./dead-letter";
import { AppInsightsMetricsSink, type IngestionTransport } from "./metrics-sink";
import { type CommonEnv, ENV } from "./settings";

/** The ports every function uses: the clock, the Service Bus dead letter and the metrics sink. */
export const commonPortsOf = (
  env: CommonEnv,
  serviceBus: ServiceBusClient,
  options: { clock?: Clock; metricsTransport?: IngestionTransport } = {},
): { clock: Clock; deadLetter: DeadLetter; metrics: MetricsSink } => ({
  clock: options.clock ?? new SystemClock(),
  deadLetter: new ServiceBusDeadLetter(serviceBus.createSender(env[ENV.deadLetterQueue])),
  metrics: new AppInsightsMetricsSink({
    connectionString: env[ENV.appInsightsConnectionString],
    namespace: env[ENV.metricNamespace],
    roleName: env[ENV.serviceName],
    ...(options.metricsTransport ? { transport: options.metricsTransport } : {}),
  }),
});
