import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MetricDatum, MetricsSink } from "../../../core/ports";

export interface EmfMetricsOptions {
  namespace: string;
  /** Powertools' service name (it appears in logs, not as a dimension: see emit()). */
  serviceName?: string;
  /**
   * Also publish every datum under an empty dimension set (EMF allows it), giving the stack-wide
   * series the alarms and dashboard read. Default true.
   */
  stackWideSeries?: boolean;
}

type PowertoolsUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The port's units are a subset of CloudWatch's, under the same names. */
const UNITS: Record<MetricDatum["unit"], PowertoolsUnit> = {
  Count: MetricUnit.Count,
  Percent: MetricUnit.Percent,
  None: MetricUnit.NoUnit,
  Milliseconds: MetricUnit.Milliseconds,
};

/** Datums that can share one EMF blob: same dimensions and same timestamp. */
export const groupByDimensionsAndTime = (datums: readonly MetricDatum[]): MetricDatum[][] => {
  const groups = new Map<string, MetricDatum[]>();
  for (const datum of datums) {
    const dimensions = Object.entries(datum.dimensions).sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify([dimensions, datum.timestamp]);
    groups.set(key, [...(groups.get(key) ?? []), datum]);
  }
  return [...groups.values()];
};

/**
 * CloudWatch metrics through EMF, written by Powertools Metrics to stdout (Lambda ships it to
 * CloudWatch Logs, which extracts the metrics). Powertools keeps one dimension set and one
 * timestamp per flush, so each group of datums sharing both gets its own Metrics instance and
 * flush. The default `service` dimension is cleared: a datum's dimensions are exactly the ones
 * core chose, plus (by default) an empty dimension set for the stack-wide series, both in one blob.
 */
export class EmfMetricsSink implements MetricsSink {
  constructor(private readonly options: EmfMetricsOptions) {}

  async emit(datums: MetricDatum[]): Promise<void> {
    for (const group of groupByDimensionsAndTime(datums)) {
      const metrics = new Metrics({
        namespace: this.options.namespace,
        serviceName: this.options.serviceName,
      });
      metrics.clearDefaultDimensions();
      metrics.addDimensions(group[0].dimensions);
      if (this.options.stackWideSeries ?? true) metrics.addDimensions({});
      metrics.setTimestamp(new Date(group[0].timestamp));
      for (const datum of group) metrics.addMetric(datum.name, UNITS[datum.unit], datum.value);
      metrics.publishStoredMetrics();
    }
  }
}
