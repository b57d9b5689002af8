import { describe, expect, it } from "vitest";
import type { MetricDatum, MetricsSink } from "../../core/ports";
import { type Make, uniqueId } from "./support";

export interface MetricsHarness {
  port: MetricsSink;
  /** Reads back what was emitted (e.g. parsed EMF lines), when the adapter can. */
  read?: () => Promise<MetricDatum[]>;
}

export function metricsSinkContract(name: string, make: Make<MetricsHarness>): void {
  describe(`MetricsSink contract: ${name}`, () => {
    it("accepts an empty list", async () => {
      const { port } = await make();
      await expect(port.emit([])).resolves.toBeUndefined();
    });

    it("emits each datum with its name, value, unit and dimensions", async (ctx) => {
      const harness = await make();
      const campaignId = uniqueId("campaign");
      const datums: MetricDatum[] = [
        {
          name: "Sent",
          value: 3,
          unit: "Count",
          dimensions: { campaignId },
          timestamp: "2026-11-24T10:00:00.000Z",
        },
        {
          name: "DeliveryRate",
          value: 66.5,
          unit: "Percent",
          dimensions: { campaignId },
          timestamp: "2026-11-24T10:00:00.000Z",
        },
      ];
      await harness.port.emit(datums);
      if (!harness.read) return ctx.skip("adapter offers no read-back");
      const mine = (await harness.read()).filter((d) => d.dimensions.campaignId === campaignId);
      expect(mine.map(({ name, value, unit }) => ({ name, value, unit }))).toEqual(
        expect.arrayContaining([
          { name: "Sent", value: 3, unit: "Count" },
          { name: "DeliveryRate", value: 66.5, unit: "Percent" },
        ]),
      );
    });
  });
}
