import { describe, expect, it } from "vitest";
import type { ResponseRecord, ResponsesStore } from "../../core/ports";
import { INDEX_SETTLE, type Make, uniqueId, uniquePhone } from "./support";

const responseRecord = (overrides: Partial<ResponseRecord> = {}): ResponseRecord => ({
  event_id: uniqueId("evt"),
  subscriber_id: uniqueId("sub"),
  phone_number: uniquePhone(),
  response_text: "Yes please",
  response_timestamp: "2026-11-24T10:00:00.000Z",
  campaign_id: uniqueId("campaign"),
  journey_id: uniqueId("journey"),
  category: "yes",
  keyword: "YES",
  sentiment: "positive",
  ttl: 1795514400,
  ...overrides,
});

export function responsesStoreContract(name: string, make: Make<ResponsesStore>): void {
  describe(`ResponsesStore contract: ${name}`, () => {
    it("returns created for a new event and exists for every replay", async () => {
      const store = await make();
      const record = responseRecord();
      expect(await store.put(record)).toBe("created");
      expect(await store.put(record)).toBe("exists");
      expect(await store.put(record)).toBe("exists");
    });

    it("keeps the first record when a replay carries different content", async () => {
      const store = await make();
      const record = responseRecord();
      await store.put(record);
      await store.put({ ...record, response_text: "changed", category: "free_text" });
      await expect.poll(() => store.get(record.event_id), INDEX_SETTLE).toEqual(record);
    });

    it("reads back every field, and leaves absent optional fields absent", async () => {
      const store = await make();
      const full = responseRecord();
      const minimal = responseRecord({
        subscriber_id: undefined,
        campaign_id: undefined,
        journey_id: undefined,
        keyword: undefined,
        category: "free_text",
        sentiment: "neutral",
      });
      for (const key of ["subscriber_id", "campaign_id", "journey_id", "keyword"] as const)
        delete minimal[key];
      await store.put(full);
      await store.put(minimal);
      await expect.poll(() => store.get(full.event_id), INDEX_SETTLE).toEqual(full);
      await expect.poll(() => store.get(minimal.event_id), INDEX_SETTLE).toEqual(minimal);
    });

    it("returns undefined for an unknown event id", async () => {
      const store = await make();
      expect(await store.get(uniqueId("missing"))).toBeUndefined();
    });

    it("lists a subscriber's responses and nobody else's", async () => {
      const store = await make();
      const subscriberId = uniqueId("sub");
      const mine = [
        responseRecord({ subscriber_id: subscriberId, response_timestamp: "2026-11-24T10:00:00.000Z" }),
        responseRecord({ subscriber_id: subscriberId, response_timestamp: "2026-11-24T11:00:00.000Z" }),
      ];
      const other = responseRecord();
      for (const record of [...mine, other]) await store.put(record);
      const ids = mine.map((r) => r.event_id).sort();
      await expect
        .poll(
          async () => (await store.bySubscriber(subscriberId)).map((r) => r.event_id).sort(),
          INDEX_SETTLE,
        )
        .toEqual(ids);
    });

    // DynamoDB Local's index has twice returned nothing for 20 s under a loaded full run (never
    // alone): a fresh attempt writes fresh items; a store that never lists them still fails.
    it("lists a campaign's responses and no other campaign's", { retry: 2 }, async () => {
      const store = await make();
      const campaignId = uniqueId("campaign");
      const mine = [responseRecord({ campaign_id: campaignId }), responseRecord({ campaign_id: campaignId })];
      for (const record of [...mine, responseRecord()]) await store.put(record);
      const ids = mine.map((r) => r.event_id).sort();
      await expect
        .poll(async () => (await store.byCampaign(campaignId)).map((r) => r.event_id).sort(), INDEX_SETTLE)
        .toEqual(ids);
    });

    it("returns an empty list for a subscriber or campaign with no responses", async () => {
      const store = await make();
      expect(await store.bySubscriber(uniqueId("nobody"))).toEqual([]);
      expect(await store.byCampaign(uniqueId("nothing"))).toEqual([]);
    });
  });
}
