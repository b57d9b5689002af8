import type { MetricDatum, MetricsSink } from "../../../../core/ports";

export class MemoryMetricsSink implements MetricsSink {
  readonly datums: MetricDatum[] = [];

  async emit(datums: MetricDatum[]): Promise<void> {
    for (const datum of datums) this.datums.push({ ...datum, dimensions: { ...datum.dimensions } });
  }

  /** Sum of every datum with this name whose dimensions include `dimensions`. */
  total(name: string, dimensions: Record<string, string> = {}): number {
    return this.datums
      .filter((d) => d.name === name && Object.entries(dimensions).every(([k, v]) => d.dimensions[k] === v))
      .reduce((sum, d) => sum + d.value, 0);
  }
}
