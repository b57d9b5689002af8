import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { BatchOutcome } from "../../../core/processing/batch";
import { redactText } from "../../../core/redact";
import { type CommonEnv, ENV } from "../../aws/runtime/settings";

/** Powertools' logger, tracer and operational metrics for one function. */
export interface Observability {
  logger: Logger;
  tracer: Tracer;
  /** Operational metrics of the function itself (records, dead letters), not campaign analytics. */
  metrics: Metrics;
}

export interface ObservabilityOptions {
  serviceName?: string;
  logLevel?: CommonEnv["LOG_LEVEL"];
  namespace?: string;
}

/**
 * Every string of every log line, errors' messages and stacks included (Powertools formats an
 * Error into an object whose fields pass through here too), redacted before it is printed.
 */
export const redactingReplacer = (_key: string, value: unknown): unknown =>
  typeof value === "string" ? redactText(value) : value;

export const createObservability = (
  functionName: string,
  options: ObservabilityOptions = {},
): Observability => {
  const serviceName = options.serviceName ?? `sms-${functionName}`;
  return {
    logger: new Logger({
      serviceName,
      logLevel: options.logLevel ?? "INFO",
      jsonReplacerFn: redactingReplacer,
    }),
    tracer: new Tracer({ serviceName }),
    metrics: new Metrics({ namespace: options.namespace ?? "SmsCampaigns", serviceName }),
  };
};

/** The same, configured from a parsed function environment. */
export const observabilityFromEnv = (functionName: string, env: CommonEnv): Observability =>
  createObservability(functionName, {
    serviceName: env[ENV.serviceName],
    logLevel: env[ENV.logLevel],
    namespace: env[ENV.metricNamespace],
  });

/** An SDK client traced by X-Ray (a no-op outside Lambda, where the tracer is disabled). */
export const traced = <T>(tracer: Tracer, client: T): T => tracer.captureAWSv3Client(client);

/** Records the batch's operational counts and flushes them as one EMF blob. */
export const publishBatchMetrics = (metrics: Metrics, outcome: BatchOutcome, records: number): void => {
  metrics.addMetric("RecordsReceived", MetricUnit.Count, records);
  metrics.addMetric("RecordsFailed", MetricUnit.Count, outcome.failedIds.length);
  metrics.addMetric("RecordsDeadLettered", MetricUnit.Count, outcome.deadLettered);
  metrics.addMetric("EventsDecoded", MetricUnit.Count, outcome.events);
  metrics.publishStoredMetrics();
};
