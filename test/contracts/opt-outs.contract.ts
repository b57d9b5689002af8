import { describe, expect, it } from "vitest";
import type { OptOutStore } from "../../core/ports";
import { type Make, uniqueId, uniquePhone } from "./support";

const at = "2026-11-24T10:00:00.000Z";

export function optOutStoreContract(name: string, make: Make<OptOutStore>): void {
  describe(`OptOutStore contract: ${name}`, () => {
    it("returns true only the first time a number opts out", async () => {
      const store = await make();
      const phone = uniquePhone();
      expect(await store.optOut(phone, at, uniqueId("evt"))).toBe(true);
      expect(await store.optOut(phone, at, uniqueId("evt"))).toBe(false);
      expect(await store.isOptedOut(phone)).toBe(true);
    });

    it("returns true again when the opting-out event itself is retried, so its confirmation is not lost", async () => {
      const store = await make();
      const phone = uniquePhone();
      const eventId = uniqueId("evt");
      expect(await store.optOut(phone, at, eventId)).toBe(true);
      expect(await store.optOut(phone, at, eventId)).toBe(true);
      expect(await store.optOut(phone, at, uniqueId("evt"))).toBe(false);
    });

    it("does not report a number that never opted out", async () => {
      const store = await make();
      expect(await store.isOptedOut(uniquePhone())).toBe(false);
    });

    it("opts a number back in once, and lets it opt out again later", async () => {
      const store = await make();
      const phone = uniquePhone();
      await store.optOut(phone, at, uniqueId("evt"));
      expect(await store.optIn(phone)).toBe(true);
      expect(await store.isOptedOut(phone)).toBe(false);
      expect(await store.optIn(phone)).toBe(false);
      expect(await store.optOut(phone, at, uniqueId("evt"))).toBe(true);
    });

    it("returns false when opting in a number that was never opted out", async () => {
      const store = await make();
      expect(await store.optIn(uniquePhone())).toBe(false);
    });
  });
}
