import { describe, expect, it } from "vitest";
import type { PendingReceiptStore, SmsEvent } from "../../core/ports";
import { INDEX_SETTLE, isoAfter, type Make, uniqueId } from "./support";

const BASE = "2026-11-24T10:00:00.000Z";

/** A phone-less End User Messaging receipt, the kind a consumer parks. */
const receipt = (overrides: Partial<SmsEvent> = {}): SmsEvent => ({
  eventId: uniqueId("evt"),
  schemaVersion: 1,
  kind: "delivered",
  occurredAt: BASE,
  provider: "aws-eum",
  messageId: uniqueId("msg"),
  status: "DELIVERED",
  priceUsd: 0.00581,
  ...overrides,
});

const idsOf =
  (store: PendingReceiptStore, consumer: string, limit = 10) =>
  async () =>
    (await store.list(consumer, limit)).map((p) => p.event.eventId);

export function pendingReceiptStoreContract(name: string, make: Make<PendingReceiptStore>): void {
  describe(`PendingReceiptStore contract: ${name}`, () => {
    it("lists a parked receipt exactly as parked, without a phone number it never had", async () => {
      const store = await make();
      const consumer = uniqueId("analytics");
      const event = receipt();
      await store.park(consumer, event, BASE);
      await expect.poll(() => store.list(consumer, 10), INDEX_SETTLE).toEqual([{ event, parkedAt: BASE }]);
      const [parked] = await store.list(consumer, 10);
      expect(parked && "phoneNumber" in parked.event).toBe(false);
    });

    it("keeps the first park of an event id: parking again changes neither the event nor its age", async () => {
      const store = await make();
      const consumer = uniqueId("analytics");
      const event = receipt();
      await store.park(consumer, event, BASE);
      await store.park(consumer, { ...event, status: "changed" }, isoAfter(BASE, 60_000));
      await expect.poll(() => store.list(consumer, 10), INDEX_SETTLE).toEqual([{ event, parkedAt: BASE }]);
    });

    it("lists oldest first, at most the limit", async () => {
      const store = await make();
      const consumer = uniqueId("analytics");
      const [newest, oldest, middle] = [receipt(), receipt(), receipt()];
      await store.park(consumer, newest, isoAfter(BASE, 2_000));
      await store.park(consumer, oldest, BASE);
      await store.park(consumer, middle, isoAfter(BASE, 1_000));
      await expect
        .poll(idsOf(store, consumer), INDEX_SETTLE)
        .toEqual([oldest.eventId, middle.eventId, newest.eventId]);
      expect(await idsOf(store, consumer, 2)()).toEqual([oldest.eventId, middle.eventId]);
    });

    it("keeps each consumer's parked receipts apart, even for one event", async () => {
      const store = await make();
      const [analytics, archive] = [uniqueId("analytics"), uniqueId("archive")];
      const event = receipt();
      await store.park(analytics, event, BASE);
      await store.park(archive, event, BASE);
      await store.remove(analytics, event.eventId);
      await expect.poll(idsOf(store, archive), INDEX_SETTLE).toEqual([event.eventId]);
      await expect.poll(idsOf(store, analytics), INDEX_SETTLE).toEqual([]);
    });

    it("removes one receipt and leaves the others; removing an absent one is no error", async () => {
      const store = await make();
      const consumer = uniqueId("archive");
      const [gone, kept] = [receipt(), receipt()];
      await store.park(consumer, gone, BASE);
      await store.park(consumer, kept, isoAfter(BASE, 1_000));
      await store.remove(consumer, gone.eventId);
      await store.remove(consumer, uniqueId("evt-absent"));
      await expect.poll(idsOf(store, consumer), INDEX_SETTLE).toEqual([kept.eventId]);
    });

    it("gives a receipt's claim to one batch at a time, again to that batch, and to another once it lapses", async () => {
      const store = await make();
      const consumer = uniqueId("analytics");
      const event = receipt();
      await store.park(consumer, event, BASE);
      const until = isoAfter(BASE, 60_000);
      const claimBy = (claimant: string, now = BASE) =>
        store.claim(consumer, event.eventId, { claimant, now, until });
      const won = await Promise.all(["b1", "b2", "b3", "b4", "b5"].map((batch) => claimBy(batch)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = `b${won.indexOf(true) + 1}`;
      const loser = winner === "b1" ? "b2" : "b1";
      expect(await claimBy(loser, isoAfter(BASE, 59_000))).toBe(false);
      // The same batch, retried, keeps its claim.
      expect(await claimBy(winner, isoAfter(BASE, 30_000))).toBe(true);
      // The winner's batch died: once its claim lapses, the next batch takes the receipt.
      expect(
        await store.claim(consumer, event.eventId, {
          claimant: loser,
          now: until,
          until: isoAfter(BASE, 120_000),
        }),
      ).toBe(true);
      // Claiming hides it from no sweep, and changes nothing that was parked.
      await expect.poll(() => store.list(consumer, 10), INDEX_SETTLE).toEqual([{ event, parkedAt: BASE }]);
    });

    it("gives no claim on a receipt that is not parked, or no longer", async () => {
      const store = await make();
      const consumer = uniqueId("archive");
      const event = receipt();
      const claim = { claimant: "b1", now: BASE, until: isoAfter(BASE, 60_000) };
      expect(await store.claim(consumer, event.eventId, claim)).toBe(false);
      await store.park(consumer, event, BASE);
      await store.remove(consumer, event.eventId);
      expect(await store.claim(consumer, event.eventId, claim)).toBe(false);
    });

    it("lists nothing for a consumer that parked nothing", async () => {
      const store = await make();
      expect(await store.list(uniqueId("analytics"), 10)).toEqual([]);
    });
  });
}
