import type { MetricDatum, MetricsSink } from "../../../core/ports";
import { STACK_SCOPE } from "../infra/environment";

/** One structured log line: Cloud Logging parses it into jsonPayload, the log-based metrics extract it. */
export interface MetricLogLine {
  severity: "INFO";
  message: string;
  metricNamespace: string;
  metric: string;
  value: number;
  unit: MetricDatum["unit"];
  /** "campaign" for the datum's own series, "stack" for the stack-wide copy the alerts read. */
  scope: string;
  /** Cloud Logging takes this as the entry's time: the minute the datum describes. */
  timestamp: string;
  [dimension: string]: unknown;
}

export interface LogMetricsOptions {
  namespace: string;
  /** Where lines go; default stdout (which Cloud Functions ships to Cloud Logging). */
  write?: (line: string) => void;
}

/** The datum's lines: its own dimensions, plus the stack-wide copy (like the AWS sink's empty dimension set). */
export const metricLogLines = (namespace: string, datum: MetricDatum): MetricLogLine[] =>
  [
    { scope: "campaign", dimensions: datum.dimensions },
    { scope: STACK_SCOPE, dimensions: {} },
  ].map(({ scope, dimensions }) => ({
    ...dimensions,
    severity: "INFO",
    message: `metric ${namespace}/${datum.name}`,
    metricNamespace: namespace,
    metric: datum.name,
    value: datum.value,
    unit: datum.unit,
    scope,
    timestamp: datum.timestamp,
  }));

/**
 * Metrics as structured log lines turned into Cloud Monitoring metrics by log-based metrics
 * (infra/monitoring.ts): no API call per datum, nothing to fail or throttle inside the function.
 */
export class LogMetricsSink implements MetricsSink {
  private readonly write: (line: string) => void;

  constructor(private readonly options: LogMetricsOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  async emit(datums: MetricDatum[]): Promise<void> {
    for (const datum of datums) {
      for (const line of metricLogLines(this.options.namespace, datum)) this.write(JSON.stringify(line));
    }
  }
}
