import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import type {
  RevocationClock,
  RevocationClockStart,
  RevocationClockStore,
  RevocationVerdict,
} from "../../core/ports";
import { INDEX_SETTLE, isoAfter, type Make, uniqueId, uniquePhone } from "./support";

/** A random instant in the 1990s: due() and list() are store-wide, so each test reads its own window. */
const randomPast = () => new Date(Date.UTC(1990, 0, 1) + randomInt(0, 2 ** 38)).toISOString();

const newClock = (overrides: Partial<RevocationClockStart> = {}): RevocationClockStart => ({
  eventId: uniqueId("stop"),
  phoneNumber: uniquePhone(),
  optedOutAt: randomPast(),
  source: "reply_keyword",
  confirmationExpected: true,
  ...overrides,
});

const breached: RevocationVerdict = {
  status: "breached",
  checkedAt: "2026-11-24T10:06:00.000Z",
  failures: [
    {
      check: "no_send_after",
      reason: "message msg-1 was sent at 2026-11-24T10:02:00.000Z, after the opt-out",
    },
  ],
};

const own = (clocks: RevocationClock[], ids: Set<string>) => clocks.filter((clock) => ids.has(clock.eventId));

export function revocationClockStoreContract(name: string, make: Make<RevocationClockStore>): void {
  describe(`RevocationClockStore contract: ${name}`, () => {
    it("starts a clock once: a retried opt-out answers exists and changes nothing", async () => {
      const store = await make();
      const clock = newClock({ subscriberId: "sub-1" });
      expect(await store.start(clock)).toBe("created");
      expect(await store.start({ ...clock, source: "carrier_opt_out" })).toBe("exists");
      const ids = new Set([clock.eventId]);
      await expect.poll(async () => own(await store.list(), ids), INDEX_SETTLE).toEqual([clock]);
    });

    it("keeps the first confirmation, and ignores one for an unknown clock", async () => {
      const store = await make();
      const clock = newClock();
      await store.start(clock);
      await store.confirm(clock.eventId, isoAfter(clock.optedOutAt, 1_000), "msg-confirm");
      await store.confirm(clock.eventId, isoAfter(clock.optedOutAt, 9_000), "msg-again");
      await store.confirm(uniqueId("stop"), clock.optedOutAt, "msg-stray");
      const base = isoAfter(clock.optedOutAt, 60_000);
      await expect
        .poll(async () => own(await store.due(base, 10_000), new Set([clock.eventId])), INDEX_SETTLE)
        .toEqual([
          { ...clock, confirmedAt: isoAfter(clock.optedOutAt, 1_000), confirmationMessageId: "msg-confirm" },
        ]);
    });

    it("lists due clocks oldest first up to the cutoff, without judged ones, honouring the limit", async () => {
      const store = await make();
      const base = randomPast();
      const clocks = [2, 0, 3, 1, 9].map((minutes) =>
        newClock({ optedOutAt: isoAfter(base, minutes * 60_000) }),
      );
      for (const clock of clocks) await store.start(clock);
      expect(await store.settle(clocks[2].eventId, breached)).toBe(true);
      const ids = new Set(clocks.map((clock) => clock.eventId));
      const cutoff = isoAfter(base, 5 * 60_000);
      await expect
        .poll(async () => own(await store.due(cutoff, 10_000), ids), INDEX_SETTLE)
        .toEqual([clocks[1], clocks[3], clocks[0]]);
      expect((await store.due(cutoff, 1)).length).toBe(1);
    });

    it("lets the first verdict stand, and lists every clock with its verdict", async () => {
      const store = await make();
      const clock = newClock();
      await store.start(clock);
      expect(await store.settle(clock.eventId, breached)).toBe(true);
      const met: RevocationVerdict = { status: "met", checkedAt: "2026-11-24T10:07:00.000Z", failures: [] };
      expect(await store.settle(clock.eventId, met)).toBe(false);
      expect(await store.settle(uniqueId("stop"), met)).toBe(false);
      const ids = new Set([clock.eventId]);
      await expect
        .poll(async () => own(await store.list(), ids), INDEX_SETTLE)
        .toEqual([{ ...clock, verdict: breached }]);
      const times = (await store.list()).map((listed) => listed.optedOutAt);
      expect(times).toEqual([...times].sort());
    });
  });
}
