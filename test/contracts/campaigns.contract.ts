import { describe, expect, it } from "vitest";
import type { CampaignRecord, CampaignStore } from "../../core/ports";
import { type Make, uniqueId } from "./support";

const campaignRecord = (overrides: Partial<CampaignRecord> = {}): CampaignRecord => ({
  campaignId: uniqueId("campaign"),
  journeyName: "welcome-series",
  steps: [
    {
      type: "send",
      id: "welcome",
      template: "Welcome {{first_name}}! Reply YES",
      messageType: "promotional",
    },
    { type: "branch", id: "answer", on: { YES: "thanks" }, timeoutMs: 86_400_000, onTimeout: "thanks" },
    { type: "send", id: "thanks", template: "Thanks", messageType: "promotional" },
  ],
  status: "enrolling",
  audienceKey: "campaigns/c/audience.csv",
  createdAt: "2026-12-03T10:00:00.000Z",
  updatedAt: "2026-12-03T10:00:00.000Z",
  version: 1,
  ...overrides,
});

export function campaignStoreContract(name: string, make: Make<CampaignStore>): void {
  describe(`CampaignStore contract: ${name}`, () => {
    it("creates a campaign once and reads it back whole", async () => {
      const store = await make();
      const record = campaignRecord();
      expect(await store.put(record, 0)).toBe(true);
      expect(await store.put({ ...record, journeyName: "other" }, 0)).toBe(false);
      expect(await store.get(record.campaignId)).toEqual(record);
      expect(await store.get(uniqueId("missing"))).toBeUndefined();
    });

    it("updates only from the stored version", async () => {
      const store = await make();
      const record = campaignRecord();
      await store.put(record, 0);
      const paused = { ...record, status: "paused" as const, version: 2 };
      expect(await store.put(paused, 1)).toBe(true);
      expect(await store.put({ ...record, status: "cancelled", version: 2 }, 1)).toBe(false);
      expect(await store.get(record.campaignId)).toEqual(paused);
    });

    it("keeps who paused it and the circuit breaker's trip, and drops them when a later version has none", async () => {
      const store = await make();
      const record = campaignRecord({ status: "running" });
      await store.put(record, 0);
      const trip = {
        tripId: `${record.campaignId}/2026-12-03T10:05`,
        trippedAt: "2026-12-03T10:05:00.000Z",
        windowFrom: "2026-12-03T09:06",
        windowTo: "2026-12-03T10:05",
        windowMinutes: 60,
        minSample: 100,
        reason: "carrier_block_rate",
        figures: [
          {
            rule: "carrier_block_rate",
            count: 31,
            of: 120,
            ratePercent: 25.83,
            thresholdPercent: 2,
            crossed: true,
          },
          { rule: "opt_out_rate", count: 0, of: 89, ratePercent: 0, thresholdPercent: 3, crossed: false },
        ],
        notified: false,
      };
      const paused: CampaignRecord = {
        ...record,
        status: "paused",
        pausedBy: "circuit_breaker",
        breakerTrip: trip,
        version: 2,
      };
      expect(await store.put(paused, 1)).toBe(true);
      expect(await store.get(record.campaignId)).toEqual(paused);
      const { pausedBy: _, ...rest } = paused;
      const resumed: CampaignRecord = {
        ...rest,
        status: "running",
        resumedAt: "2026-12-03T11:00:00.000Z",
        version: 3,
      };
      expect(await store.put(resumed, 2)).toBe(true);
      const read = await store.get(record.campaignId);
      expect(read).toEqual(resumed);
      expect(read && "pausedBy" in read).toBe(false);
    });

    it("lists every campaign, cancelled ones too", async () => {
      const store = await make();
      const running = campaignRecord({ status: "running" });
      const paused = campaignRecord({ status: "paused" });
      const cancelled = campaignRecord({ status: "cancelled" });
      for (const record of [running, paused, cancelled]) await store.put(record, 0);
      const listed = await store.list();
      for (const record of [running, paused, cancelled]) {
        expect(listed.find((r) => r.campaignId === record.campaignId)).toEqual(record);
      }
    });

    it("adds counters atomically, and a record write leaves them alone", async () => {
      const store = await make();
      const record = campaignRecord();
      await store.put(record, 0);
      expect(await store.counts(record.campaignId)).toEqual({});
      await Promise.all(
        Array.from({ length: 12 }, () =>
          store.addCounts(record.campaignId, { sent: 1, "held:quiet_hours": 2 }),
        ),
      );
      await store.put({ ...record, status: "running", version: 2 }, 1);
      await store.addCounts(record.campaignId, { enrolled: 5 });
      expect(await store.counts(record.campaignId)).toEqual({
        sent: 12,
        "held:quiet_hours": 24,
        enrolled: 5,
      });
      expect(await store.counts(uniqueId("other"))).toEqual({});
    });

    it("adds counters that may expire like any others, and reads back only the counters", async () => {
      const store = await make();
      const id = `${uniqueId("welcome")}#breaker#2026-12-03T10`;
      const expiresAt = new Date(Date.now() + 8 * 86_400_000);
      await Promise.all(
        Array.from({ length: 6 }, () => store.addCounts(id, { "breaker:10:00:receipts": 1 }, { expiresAt })),
      );
      await store.addCounts(id, { "breaker:10:01:receipts": 2 });
      expect(await store.counts(id)).toEqual({ "breaker:10:00:receipts": 6, "breaker:10:01:receipts": 2 });
      expect((await store.list()).filter((record) => record.campaignId.includes("#"))).toEqual([]);
    });
  });
}
