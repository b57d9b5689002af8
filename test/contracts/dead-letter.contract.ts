import { describe, expect, it } from "vitest";
import type { DeadLetter, DeadLetterEntry } from "../../core/ports";
import { type Make, uniqueId } from "./support";

export interface DeadLetterHarness {
  port: DeadLetter;
  /** Reads back what was dead-lettered (e.g. by receiving from the queue). */
  read: () => Promise<DeadLetterEntry[]>;
}

export function deadLetterContract(name: string, make: Make<DeadLetterHarness>): void {
  describe(`DeadLetter contract: ${name}`, () => {
    it("keeps the raw bytes exactly, even when they are not valid UTF-8", async () => {
      const harness = await make();
      const reason = uniqueId("undecodable");
      const raw = new Uint8Array([0xff, 0xfe, 0x00, 0x7b, 0x22, 0xc3]);
      await harness.port.send({
        raw,
        reason,
        source: "contract:shard-0/1",
        receivedAt: "2026-11-24T10:00:00.000Z",
      });
      const entry = (await harness.read()).find((e) => e.reason === reason);
      expect(entry).toBeDefined();
      expect([...entry!.raw]).toEqual([...raw]);
      expect(entry!.source).toBe("contract:shard-0/1");
      expect(entry!.receivedAt).toBe("2026-11-24T10:00:00.000Z");
    });

    it("keeps every entry, including two with the same bytes", async () => {
      const harness = await make();
      const reasons = [uniqueId("first"), uniqueId("second")];
      const raw = new TextEncoder().encode("not json");
      for (const reason of reasons) {
        await harness.port.send({ raw, reason, source: "contract", receivedAt: "2026-11-24T10:00:00.000Z" });
      }
      const stored = (await harness.read()).map((e) => e.reason);
      expect(stored).toEqual(expect.arrayContaining(reasons));
    });
  });
}
