import { describe, expect, it } from "vitest";
import type { SendLedger } from "../../core/ports";
import { type Make, uniqueId } from "./support";

const at = "2026-11-24T10:00:00.000Z";

export function sendLedgerContract(name: string, make: Make<SendLedger>): void {
  describe(`SendLedger contract: ${name}`, () => {
    it("lets only the first claimer claim a key", async () => {
      const ledger = await make();
      const key = uniqueId("campaign#sub#step");
      expect(await ledger.claim(key, at)).toBe(true);
      expect(await ledger.claim(key, at)).toBe(false);
      expect(await ledger.get(key)).toEqual({ state: "pending", at });
    });

    it("lets exactly one of many concurrent claimers win", async () => {
      const ledger = await make();
      const key = uniqueId("race");
      const wins = await Promise.all(Array.from({ length: 5 }, () => ledger.claim(key, at)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it("records the settled state and refuses a later claim", async () => {
      const ledger = await make();
      const key = uniqueId("settle");
      await ledger.claim(key, at);
      await ledger.settle(key, { state: "sent", at: "2026-11-24T10:00:01.000Z", messageId: "m-1" });
      expect(await ledger.get(key)).toEqual({
        state: "sent",
        at: "2026-11-24T10:00:01.000Z",
        messageId: "m-1",
      });
      expect(await ledger.claim(key, at)).toBe(false);
    });

    it("records a skip with its reason", async () => {
      const ledger = await make();
      const key = uniqueId("skip");
      await ledger.claim(key, at);
      await ledger.settle(key, { state: "skipped", at, reason: "opted out" });
      expect(await ledger.get(key)).toEqual({ state: "skipped", at, reason: "opted out" });
    });

    it("returns undefined for an unknown key", async () => {
      const ledger = await make();
      expect(await ledger.get(uniqueId("missing"))).toBeUndefined();
    });
  });
}
