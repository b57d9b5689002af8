import { describe, expect, it } from "vitest";
import type { EventPublisher, StreamRecord } from "../../core/ports";
import { type Make, uniqueId } from "./support";

export interface PublisherHarness {
  port: EventPublisher;
  /** Reads back what reached the stream, when the adapter can (e.g. by polling the emulator). */
  read?: () => Promise<StreamRecord[]>;
}

export function eventPublisherContract(name: string, make: Make<PublisherHarness>): void {
  describe(`EventPublisher contract: ${name}`, () => {
    it("reports no failures for an empty batch", async () => {
      const { port } = await make();
      expect(await port.publish([])).toEqual({ failed: [] });
    });

    it("publishes a batch and reports no failures when the stream is healthy", async () => {
      const { port } = await make();
      const records = [0, 1, 2].map((i) => ({
        partitionKey: uniqueId("pk"),
        data: new TextEncoder().encode(`{"n":${i}}`),
      }));
      expect(await port.publish(records)).toEqual({ failed: [] });
    });

    it("delivers the exact bytes under their partition key", async (ctx) => {
      const harness = await make();
      if (!harness.read) return ctx.skip("adapter offers no read-back");
      const partitionKey = uniqueId("pk");
      const data = new Uint8Array([0, 255, 1, 254, 123]);
      await harness.port.publish([{ partitionKey, data }]);
      const found = (await harness.read()).find((r) => r.partitionKey === partitionKey);
      expect(found && [...found.data]).toEqual([...data]);
    });
  });
}
