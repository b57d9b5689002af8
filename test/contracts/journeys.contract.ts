import { describe, expect, it } from "vitest";
import type { JourneyState, JourneyStore } from "../../core/ports";
import { INDEX_SETTLE, isoAfter, type Make, uniqueId, uniquePhone } from "./support";

const journeyState = (overrides: Partial<JourneyState> = {}): JourneyState => ({
  journeyId: uniqueId("journey"),
  subscriberId: uniqueId("sub"),
  phoneNumber: uniquePhone(),
  stepId: "welcome",
  status: "active",
  version: 1,
  updatedAt: "2026-11-24T10:00:00.000Z",
  ...overrides,
});

/** A random instant in the 1990s: due() scans the whole store, so each test gets its own window. */
const randomPastBase = () => new Date(Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 3e11)).toISOString();

export function journeyStoreContract(name: string, make: Make<JourneyStore>): void {
  describe(`JourneyStore contract: ${name}`, () => {
    it("creates a state only when none exists (expected version 0)", async () => {
      const store = await make();
      const state = journeyState();
      expect(await store.put(state, 0)).toBe(true);
      expect(await store.put({ ...state, stepId: "other" }, 0)).toBe(false);
      expect(await store.get(state.journeyId, state.subscriberId)).toEqual(state);
    });

    it("writes when the expected version matches and rejects a stale writer", async () => {
      const store = await make();
      const state = journeyState();
      await store.put(state, 0);
      const next = { ...state, stepId: "follow-up", version: 2 };
      expect(await store.put(next, 1)).toBe(true);
      expect(await store.put({ ...state, stepId: "stale", version: 2 }, 1)).toBe(false);
      expect(await store.get(state.journeyId, state.subscriberId)).toEqual(next);
    });

    it("keeps journeys of the same subscriber apart", async () => {
      const store = await make();
      const subscriberId = uniqueId("sub");
      const a = journeyState({ subscriberId, stepId: "a" });
      const b = journeyState({ subscriberId, stepId: "b" });
      await store.put(a, 0);
      await store.put(b, 0);
      expect((await store.get(a.journeyId, subscriberId))?.stepId).toBe("a");
      expect((await store.get(b.journeyId, subscriberId))?.stepId).toBe("b");
      expect(await store.get(a.journeyId, uniqueId("other"))).toBeUndefined();
    });

    it("lists a subscriber's active and waiting journeys, not finished ones", async () => {
      const store = await make();
      const subscriberId = uniqueId("sub");
      const active = journeyState({ subscriberId, status: "active" });
      const waiting = journeyState({ subscriberId, status: "waiting", wakeAt: "2026-11-25T10:00:00.000Z" });
      const done = journeyState({ subscriberId, status: "done" });
      for (const s of [active, waiting, done, journeyState()]) await store.put(s, 0);
      await expect
        .poll(
          async () => (await store.bySubscriber(subscriberId)).map((s) => s.journeyId).sort(),
          INDEX_SETTLE,
        )
        .toEqual([active.journeyId, waiting.journeyId].sort());
    });

    it("returns due waiting journeys oldest wake-up first, skipping future and non-waiting ones", async () => {
      const store = await make();
      const base = randomPastBase();
      const at = isoAfter(base, 60_000);
      const second = journeyState({ status: "waiting", wakeAt: isoAfter(base, 30_000) });
      const first = journeyState({ status: "waiting", wakeAt: isoAfter(base, 10_000) });
      const exactlyNow = journeyState({ status: "waiting", wakeAt: at });
      const future = journeyState({ status: "waiting", wakeAt: isoAfter(base, 120_000) });
      const active = journeyState({ status: "active", wakeAt: isoAfter(base, 5_000) });
      for (const s of [second, first, exactlyNow, future, active]) await store.put(s, 0);

      const mineOf = (due: JourneyState[]) =>
        due
          .map((s) => s.journeyId)
          .filter((id) => [first, second, exactlyNow, future, active].some((s) => s.journeyId === id));
      await expect
        .poll(async () => mineOf(await store.due(at, 1000)), INDEX_SETTLE)
        .toEqual([first.journeyId, second.journeyId, exactlyNow.journeyId]);
      const due = await store.due(at, 1000);
      for (const s of due) {
        expect(s.status).toBe("waiting");
        expect(Date.parse(s.wakeAt!)).toBeLessThanOrEqual(Date.parse(at));
      }
      const wakeTimes = due.map((s) => Date.parse(s.wakeAt!));
      expect(wakeTimes).toEqual([...wakeTimes].sort((x, y) => x - y));
    });

    it("returns no more than the limit", async () => {
      const store = await make();
      const base = randomPastBase();
      for (const offset of [1_000, 2_000, 3_000]) {
        await store.put(journeyState({ status: "waiting", wakeAt: isoAfter(base, offset) }), 0);
      }
      await expect.poll(async () => (await store.due(isoAfter(base, 5_000), 2)).length, INDEX_SETTLE).toBe(2);
      const due = await store.due(isoAfter(base, 5_000), 2);
      expect(Date.parse(due[1].wakeAt!)).toBeLessThanOrEqual(Date.parse(isoAfter(base, 2_000)));
    });
  });
}
