import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { OptOutReview, OptOutReviewStore } from "../../core/ports";
import { INDEX_SETTLE, isoAfter, type Make, uniqueId, uniquePhone } from "./support";

type NewReview = Omit<OptOutReview, "status" | "decidedAt">;

/** A random instant in the 1990s: list() is store-wide, so each test reads its own time window. */
const randomPast = () => new Date(Date.UTC(1990, 0, 1) + randomInt(0, 2 ** 38)).toISOString();

const newReview = (overrides: Partial<NewReview> = {}): NewReview => ({
  eventId: uniqueId("reply"),
  phoneNumber: uniquePhone(),
  text: "who is this?",
  receivedAt: "2026-11-24T10:00:00.000Z",
  optOutConfidence: 0.7,
  rule: "phrase.en.wrong-number",
  ...overrides,
});

const decidedAt = "2026-11-24T11:00:00.000Z";

export function optOutReviewStoreContract(name: string, make: Make<OptOutReviewStore>): void {
  describe(`OptOutReviewStore contract: ${name}`, () => {
    it("keeps the first review of a reply and answers exists for a replay", async () => {
      const store = await make();
      const review = newReview({ subscriberId: "sub-1", campaignId: "spring", journeyId: "welcome" });
      expect(await store.put(review)).toBe("created");
      expect(await store.put({ ...review, text: "changed", optOutConfidence: 0.8 })).toBe("exists");
      expect(await store.get(review.eventId)).toEqual({ ...review, status: "pending" });
    });

    it("does not find a review that was never put", async () => {
      const store = await make();
      expect(await store.get(uniqueId("reply"))).toBeUndefined();
      expect(await store.decide(uniqueId("reply"), "accepted", decidedAt)).toBeUndefined();
    });

    it("holds a number while any of its reviews is pending, and only that number", async () => {
      const store = await make();
      const phone = uniquePhone();
      const first = newReview({ phoneNumber: phone });
      const second = newReview({ phoneNumber: phone, receivedAt: "2026-11-24T10:05:00.000Z" });
      expect(await store.isHeld(phone)).toBe(false);
      await store.put(first);
      await store.put(second);
      expect(await store.isHeld(phone)).toBe(true);
      expect(await store.isHeld(uniquePhone())).toBe(false);

      await store.decide(first.eventId, "rejected", decidedAt);
      expect(await store.isHeld(phone)).toBe(true);
      await store.decide(second.eventId, "rejected", decidedAt);
      expect(await store.isHeld(phone)).toBe(false);
    });

    it("lets the first decision stand: a retry or the other decision changes nothing", async () => {
      const store = await make();
      const review = newReview();
      await store.put(review);
      const accepted = await store.decide(review.eventId, "accepted", decidedAt);
      expect(accepted).toEqual({ ...review, status: "accepted", decidedAt });
      expect(await store.decide(review.eventId, "accepted", "2026-11-25T00:00:00.000Z")).toEqual(accepted);
      expect(await store.decide(review.eventId, "rejected", "2026-11-25T00:00:00.000Z")).toEqual(accepted);
      expect(await store.get(review.eventId)).toEqual(accepted);
      expect(await store.isHeld(review.phoneNumber)).toBe(false);
      // A replayed reply does not reopen a decided review.
      expect(await store.put(review)).toBe("exists");
      expect(await store.isHeld(review.phoneNumber)).toBe(false);
    });

    it("lists pending reviews oldest first, leaves decided ones out, and honours the limit", async () => {
      const store = await make();
      const base = randomPast();
      const reviews = [2, 0, 3, 1].map((minutes) =>
        newReview({ receivedAt: isoAfter(base, minutes * 60_000) }),
      );
      for (const review of reviews) await store.put(review);
      await store.decide(reviews[2].eventId, "accepted", decidedAt);

      const own = new Set(reviews.map((review) => review.eventId));
      // A store may list from an index that trails its writes by a moment.
      await expect
        .poll(
          async () => (await store.list(10_000)).filter((review) => own.has(review.eventId)),
          INDEX_SETTLE,
        )
        .toEqual([reviews[1], reviews[3], reviews[0]].map((review) => ({ ...review, status: "pending" })));
      const times = (await store.list(10_000)).map((review) => review.receivedAt);
      expect(times).toEqual([...times].sort());
      expect((await store.list(1)).length).toBe(1);
    });
  });
}
