import { describe, expect, it } from "vitest";
import { controlCampaign, newCampaignRecord } from "../../core/campaign/campaign";
import { breakerCountersId, DEFAULT_CIRCUIT_BREAKER } from "../../core/campaign/circuit-breaker";
import type { SmsEvent } from "../../core/events/schema";
import type { CampaignStore, Notification, Notifier } from "../../core/ports";
import { runAnalytics } from "../../core/processing/analytics";
import { CAMPAIGN_PAUSED_METRIC } from "../../core/processing/circuit-breaker-run";
import { welcomeSeries } from "../../journeys";
import { MemoryMessageLog, MemoryMetricsSink, MemoryNotifier } from "../../providers/local/runtime/memory";
import { type Make, uniqueId } from "./support";

const LAUNCH = new Date("2026-12-03T10:00:00.000Z");

/** 100 final receipts of one campaign in the minute 10:05, `blocked` of them CARRIER_BLOCKED. */
export function receiptBatch(campaignId: string, blocked: number, minute = "2026-12-03T10:05"): SmsEvent[] {
  return Array.from({ length: 100 }, (_, i) => ({
    eventId: `${campaignId}-${minute}-receipt-${i}`,
    schemaVersion: 1,
    kind: i < blocked ? "failed" : "delivered",
    occurredAt: `${minute}:${String(i % 60).padStart(2, "0")}.000Z`,
    provider: "aws-eum",
    phoneNumber: `+1425555${String(i).padStart(4, "0")}`,
    campaignId,
    messageId: `${campaignId}-${minute}-m${i}`,
    ...(i < blocked
      ? { status: "CARRIER_BLOCKED", failureReason: "carrier blocked" }
      : { status: "DELIVERED" }),
  }));
}

/** A notifier that fails its first `failures` publishes, as a transport outage would. */
class FlakyNotifier implements Notifier {
  readonly published: Notification[] = [];
  constructor(private failures: number) {}
  async publish(notification: Notification): Promise<void> {
    if (this.failures-- > 0) throw new Error("notification topic unavailable");
    this.published.push(notification);
  }
}

/**
 * The circuit breaker as the analytics consumer runs it, with its window state in the campaign
 * store under test: a trip pauses once and notifies once, however often the batch is retried.
 */
export function circuitBreakerContract(name: string, make: Make<CampaignStore>): void {
  describe(`circuit breaker on the campaign store: ${name}`, () => {
    const launch = async (store: CampaignStore) => {
      const record = newCampaignRecord(uniqueId("welcome"), welcomeSeries, LAUNCH);
      await store.put({ ...record, status: "running", enrolledAt: LAUNCH.toISOString() }, 0);
      return record.campaignId;
    };
    const analytics = (store: CampaignStore, notifier: Notifier, metrics = new MemoryMetricsSink()) => ({
      metrics,
      run: (events: SmsEvent[]) =>
        runAnalytics(
          events,
          { metrics, messages: new MemoryMessageLog(), campaigns: store, notifier },
          { circuitBreaker: DEFAULT_CIRCUIT_BREAKER },
        ),
    });

    it("pauses a campaign whose carrier-block rate crosses the threshold, says why with the figures, and emits CampaignPaused", async () => {
      const store = await make();
      const campaignId = await launch(store);
      const notifier = new MemoryNotifier();
      const { run, metrics } = analytics(store, notifier);

      await run(receiptBatch(campaignId, 1)); // 1 % blocked: below 2 %
      expect((await store.get(campaignId))?.status).toBe("running");

      await run(receiptBatch(campaignId, 30, "2026-12-03T10:06")); // 31 of 200 in the window
      const paused = await store.get(campaignId);
      expect(paused).toMatchObject({
        status: "paused",
        pausedBy: "circuit_breaker",
        breakerTrip: {
          tripId: `${campaignId}/2026-12-03T10:06`,
          reason: "carrier_block_rate",
          windowFrom: "2026-12-03T09:07",
          windowTo: "2026-12-03T10:06",
          notified: true,
        },
      });
      expect(paused?.breakerTrip?.figures[0]).toEqual({
        rule: "carrier_block_rate",
        count: 31,
        of: 200,
        ratePercent: 15.5,
        thresholdPercent: 2,
        crossed: true,
      });
      expect(notifier.published).toHaveLength(1);
      expect(notifier.published[0].id).toBe(`${campaignId}/2026-12-03T10:06:circuit_breaker`);
      expect(notifier.published[0].message).toContain(
        "carrier-block rate 15.5% (31 blocked of final receipts 200)",
      );
      expect(metrics.datums.filter((datum) => datum.name === CAMPAIGN_PAUSED_METRIC)).toEqual([
        expect.objectContaining({
          value: 1,
          dimensions: { campaignId },
          timestamp: "2026-12-03T10:06:00.000Z",
        }),
      ]);
    });

    it("does not pause or notify twice when the batch is retried, nor count it again", async () => {
      const store = await make();
      const campaignId = await launch(store);
      const notifier = new MemoryNotifier();
      const { run } = analytics(store, notifier);
      const batch = receiptBatch(campaignId, 40);
      await run(batch);
      const afterTrip = await store.get(campaignId);
      const window = await store.counts(breakerCountersId(campaignId, "2026-12-03T10"));
      expect(window["breaker:2026-12-03T10:05:blocked"]).toBe(40);
      await run(batch);
      await run(batch);
      expect(await store.get(campaignId)).toEqual(afterTrip);
      expect(await store.counts(breakerCountersId(campaignId, "2026-12-03T10"))).toEqual(window);
      expect(notifier.published).toHaveLength(1);
    });

    it("publishes the notification on the retry when the first attempt failed to, with the same id", async () => {
      const store = await make();
      const campaignId = await launch(store);
      const notifier = new FlakyNotifier(1);
      const { run } = analytics(store, notifier);
      const batch = receiptBatch(campaignId, 40);
      await expect(run(batch)).rejects.toThrow("notification topic unavailable");
      expect(await store.get(campaignId)).toMatchObject({
        status: "paused",
        breakerTrip: { notified: false },
      });
      await run(batch);
      await run(batch);
      expect(notifier.published.map((notification) => notification.id)).toEqual([
        `${campaignId}/2026-12-03T10:05:circuit_breaker`,
      ]);
      expect((await store.get(campaignId))?.breakerTrip?.notified).toBe(true);
    });

    it("is lifted by resume, and does not trip again on the window from before the resume", async () => {
      const store = await make();
      const campaignId = await launch(store);
      const notifier = new MemoryNotifier();
      const { run } = analytics(store, notifier);
      await run(receiptBatch(campaignId, 40));
      const resumed = await controlCampaign(
        store,
        campaignId,
        "resume",
        new Date("2026-12-03T10:07:30.000Z"),
      );
      expect(resumed).toMatchObject({ status: "running", resumedAt: "2026-12-03T10:07:30.000Z" });
      expect(resumed.pausedBy).toBeUndefined();

      // Late receipts from before the resume, and a healthy minute after it: no trip.
      await run(receiptBatch(campaignId, 40, "2026-12-03T10:07"));
      await run(receiptBatch(campaignId, 1, "2026-12-03T10:08"));
      expect((await store.get(campaignId))?.status).toBe("running");
      expect(notifier.published).toHaveLength(1);

      // A new spike after the resume trips it again, as a new trip.
      await run(receiptBatch(campaignId, 40, "2026-12-03T10:09"));
      expect(await store.get(campaignId)).toMatchObject({
        status: "paused",
        pausedBy: "circuit_breaker",
        breakerTrip: { tripId: `${campaignId}/2026-12-03T10:09` },
      });
      expect(notifier.published).toHaveLength(2);
    });

    it("leaves a campaign an operator paused alone, and counts nothing for a campaign the store does not know", async () => {
      const store = await make();
      const campaignId = await launch(store);
      await controlCampaign(store, campaignId, "pause", LAUNCH);
      const notifier = new MemoryNotifier();
      const { run } = analytics(store, notifier);
      const unknown = uniqueId("one-off");
      await run([...receiptBatch(campaignId, 40), ...receiptBatch(unknown, 40)]);
      expect(await store.get(campaignId)).toMatchObject({ status: "paused", pausedBy: "operator" });
      expect(await store.counts(breakerCountersId(campaignId, "2026-12-03T10"))).toEqual({});
      expect(await store.counts(breakerCountersId(unknown, "2026-12-03T10"))).toEqual({});
      expect(notifier.published).toEqual([]);
    });

    it("keeps its counters in hour items apart from the campaign's counters, which no list shows", async () => {
      const store = await make();
      const campaignId = await launch(store);
      await store.addCounts(campaignId, { sent: 3 });
      const { run } = analytics(store, new MemoryNotifier());
      await run([
        ...receiptBatch(campaignId, 0, "2026-12-03T10:59"),
        ...receiptBatch(campaignId, 0, "2026-12-03T11:00"),
      ]);
      expect(await store.counts(campaignId)).toEqual({ sent: 3 });
      // Only the counters: the expiry some stores keep beside them (ttl, expireAt) is not one.
      expect(await store.counts(breakerCountersId(campaignId, "2026-12-03T10"))).toEqual({
        "breaker:2026-12-03T10:59:receipts": 100,
        "breaker:2026-12-03T10:59:delivered": 100,
      });
      expect(await store.counts(breakerCountersId(campaignId, "2026-12-03T11"))).toEqual({
        "breaker:2026-12-03T11:00:receipts": 100,
        "breaker:2026-12-03T11:00:delivered": 100,
      });
      const listed = (await store.list()).map((record) => record.campaignId);
      expect(listed).toContain(campaignId);
      expect(listed.filter((id) => id.includes("#"))).toEqual([]);
      expect(await store.get(breakerCountersId(campaignId, "2026-12-03T10"))).toBeUndefined();
    });
  });
}
