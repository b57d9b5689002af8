import { describe, expect, it } from "vitest";
import { newCampaignRecord } from "../../../core/campaign/campaign";
import {
  BREAKER_COUNTER_PREFIX,
  type BreakerEvent,
  breakerCountersId,
  bucketKey,
  type CircuitBreakerSettings,
  DEFAULT_CIRCUIT_BREAKER,
  evaluateWindow,
  isCarrierBlock,
  isComplaint,
  ruleFigures,
  signalCountsOf,
  windowCountersIds,
  windowFigures,
} from "../../../core/campaign/circuit-breaker";
import type { SmsEvent } from "../../../core/events/schema";
import { runCircuitBreaker } from "../../../core/processing/circuit-breaker-run";
import { welcomeSeries } from "../../../journeys";
import {
  MemoryCampaignStore,
  MemoryMessageLog,
  MemoryNotifier,
} from "../../../providers/local/runtime/memory";
import { smsEvent } from "../processing/events";

const SETTINGS: CircuitBreakerSettings = {
  ...DEFAULT_CIRCUIT_BREAKER,
  windowMinutes: 10,
  minSample: 20,
};
const CAMPAIGN = "spring-sale";

/** Counters as the store holds them, from { minute: { signal: n } }. */
const countersOf = (byMinute: Record<string, Record<string, number>>) =>
  Object.fromEntries(
    Object.entries(byMinute).flatMap(([minute, signals]) =>
      Object.entries(signals).map(([signal, n]) => [bucketKey(minute, signal as never), n]),
    ),
  );

const receipts = (delivered: number, failed = 0, blocked = 0) => ({
  receipts: delivered + failed,
  delivered,
  failed,
  blocked,
});

const figureOf = (counts: Record<string, number>, end: string, since?: string) =>
  ruleFigures(windowFigures(counts, end, SETTINGS, since), SETTINGS);
const crossedRules = (counts: Record<string, number>, end: string, since?: string) =>
  figureOf(counts, end, since)
    .filter((figure) => figure.crossed)
    .map((figure) => figure.rule);

describe("the circuit breaker's window", () => {
  it("sums the buckets of the window's minutes, the first and the last included, and none outside", () => {
    const counts = countersOf({
      "2026-06-16T17:50": receipts(1000, 0, 0), // 11 minutes before the end: outside
      "2026-06-16T17:51": receipts(10, 2, 1), // the first minute of a 10-minute window
      "2026-06-16T18:00": receipts(5, 1, 1), // the last
      "2026-06-16T18:01": receipts(1000), // after the end: outside
    });
    const window = windowFigures(counts, "2026-06-16T18:00", SETTINGS);
    expect(window).toEqual({
      from: "2026-06-16T17:51",
      to: "2026-06-16T18:00",
      totals: { receipts: 18, delivered: 15, failed: 3, blocked: 2, opted_out: 0, complaints: 0 },
    });
  });

  it("ignores counters that are not the breaker's", () => {
    const counts = { ...countersOf({ "2026-06-16T18:00": receipts(5) }), sent: 900, "reply:STOP": 4 };
    expect(windowFigures(counts, "2026-06-16T18:00", SETTINGS).totals.delivered).toBe(5);
  });

  it("does not judge a rate below the minimum sample: 1 opt-out in 3 sends does not trip it", () => {
    const counts = countersOf({ "2026-06-16T18:00": { ...receipts(3), opted_out: 1 } });
    const optOut = figureOf(counts, "2026-06-16T18:00").find((figure) => figure.rule === "opt_out_rate");
    expect(optOut).toMatchObject({ count: 1, of: 3, ratePercent: 33.33, crossed: false });
    expect(evaluateWindow(CAMPAIGN, windowFigures(counts, "2026-06-16T18:00", SETTINGS), SETTINGS)).toBe(
      undefined,
    );
  });

  it("judges a rate from the minimum sample on, and trips only above the threshold", () => {
    // 20 delivered: 3 % of 20 is 0.6, so one opt-out (5 %) crosses 3 %; with 100, 3 (3 %) does not.
    expect(
      crossedRules(countersOf({ "2026-06-16T18:00": { ...receipts(20), opted_out: 1 } }), "2026-06-16T18:00"),
    ).toEqual(["opt_out_rate"]);
    expect(
      crossedRules(
        countersOf({ "2026-06-16T18:00": { ...receipts(100), opted_out: 3 } }),
        "2026-06-16T18:00",
      ),
    ).toEqual([]);
    expect(
      crossedRules(
        countersOf({ "2026-06-16T18:00": { ...receipts(100), opted_out: 4 } }),
        "2026-06-16T18:00",
      ),
    ).toEqual(["opt_out_rate"]);
  });

  it("trips on each signal alone", () => {
    const end = "2026-06-16T18:00";
    const at = (signals: Record<string, number>) => crossedRules(countersOf({ [end]: signals }), end);
    // 100 receipts: 3 blocked (> 2 %) are also 3 failed (< 5 %).
    expect(at(receipts(97, 3, 3))).toEqual(["carrier_block_rate"]);
    expect(at(receipts(94, 6, 0))).toEqual(["failure_rate"]);
    expect(at({ ...receipts(100), complaints: 2 })).toEqual(["complaint_rate"]);
    expect(at({ ...receipts(100), opted_out: 4 })).toEqual(["opt_out_rate"]);
    expect(at({ ...receipts(100, 3, 2), opted_out: 3, complaints: 1 })).toEqual([]);
  });

  it("counts, after a resume, only the minutes that start at or after it, so the old window does not trip it again", () => {
    const counts = countersOf({
      "2026-06-16T17:55": receipts(50, 50, 50), // the spike that tripped it
      "2026-06-16T17:58": receipts(10), // the minute of the resume (17:58:30): partly before, left out
      "2026-06-16T17:59": receipts(30),
    });
    expect(crossedRules(counts, "2026-06-16T18:00")).toContain("carrier_block_rate");
    const since = "2026-06-16T17:58:30.000Z";
    expect(windowFigures(counts, "2026-06-16T18:00", SETTINGS, since)).toMatchObject({
      from: "2026-06-16T17:59",
      totals: { receipts: 30, blocked: 0 },
    });
    expect(crossedRules(counts, "2026-06-16T18:00", since)).toEqual([]);
    // A resume on the minute counts that minute whole.
    expect(windowFigures(counts, "2026-06-16T18:00", SETTINGS, "2026-06-16T17:58:00.000Z").from).toBe(
      "2026-06-16T17:58",
    );
  });

  it("names a trip by its campaign and window, with every rule's figures and the first crossed as the reason", () => {
    const end = "2026-06-16T18:00";
    const trip = evaluateWindow(
      CAMPAIGN,
      windowFigures(countersOf({ [end]: receipts(70, 30, 30) }), end, SETTINGS),
      SETTINGS,
    );
    expect(trip).toMatchObject({
      tripId: "spring-sale/2026-06-16T18:00",
      trippedAt: "2026-06-16T18:00:00.000Z",
      windowFrom: "2026-06-16T17:51",
      windowTo: end,
      reason: "carrier_block_rate",
      notified: false,
    });
    expect(trip?.figures.filter((figure) => figure.crossed).map((figure) => figure.rule)).toEqual([
      "carrier_block_rate",
      "failure_rate",
    ]);
    expect(trip?.figures[0]).toEqual({
      rule: "carrier_block_rate",
      count: 30,
      of: 100,
      ratePercent: 30,
      thresholdPercent: 2,
      crossed: true,
    });
  });
});

describe("the circuit breaker's signals", () => {
  const failed = (overrides: Partial<SmsEvent>) =>
    smsEvent({ kind: "failed", messageId: "m1", ...overrides });

  it("knows a carrier block in every provider's words", () => {
    expect(isCarrierBlock(failed({ provider: "aws-eum", status: "CARRIER_BLOCKED" }))).toBe(true);
    expect(isCarrierBlock(failed({ provider: "aws-eum", status: "SPAM" }))).toBe(true);
    expect(isCarrierBlock(failed({ provider: "aws-pinpoint", status: "CARRIER_BLOCKED" }))).toBe(true);
    expect(isCarrierBlock(failed({ provider: "aws-eum", status: "UNREACHABLE" }))).toBe(false);
    expect(
      isCarrierBlock(failed({ provider: "twilio", failureReason: "Twilio error 30007: Message filtered" })),
    ).toBe(true);
    expect(isCarrierBlock(failed({ provider: "twilio", failureReason: "Twilio error 30034" }))).toBe(true);
    expect(isCarrierBlock(failed({ provider: "twilio", failureReason: "Twilio error 30003" }))).toBe(false);
    expect(
      isCarrierBlock(failed({ provider: "azure-acs", failureReason: "Message blocked by carrier" })),
    ).toBe(true);
    expect(isCarrierBlock(failed({ provider: "azure-acs", failureReason: "Message filtered as spam" }))).toBe(
      true,
    );
    expect(isCarrierBlock(failed({ provider: "azure-acs", failureReason: "Device unreachable" }))).toBe(
      false,
    );
    // A recipient's own block is their choice, not a verdict on the sender.
    expect(
      isCarrierBlock(failed({ provider: "azure-acs", failureReason: "Message blocked by the recipient." })),
    ).toBe(false);
    expect(isCarrierBlock(smsEvent({ kind: "delivered", status: "SPAM" }))).toBe(false);
  });

  it("counts a complaint only when a complaint word comes with negative sentiment", () => {
    expect(isComplaint("COMPLAINT the link was broken")).toBe(true);
    expect(isComplaint("this is spam, stop it")).toBe(true);
    expect(isComplaint("Terrible timing, I was asleep")).toBe(false);
    expect(isComplaint("not spam, thanks, great tip")).toBe(false);
  });

  it("adds each message, number and reply once per batch, in its minute and campaign", () => {
    const item = (event: SmsEvent, minute = "2026-06-16T18:00"): BreakerEvent => ({
      event,
      campaignId: CAMPAIGN,
      minute,
    });
    const delivered = smsEvent({ kind: "delivered", messageId: "m1" });
    const blocked = smsEvent({ kind: "failed", messageId: "m2", provider: "aws-eum", status: "SPAM" });
    const stop = smsEvent({ kind: "received", body: "STOP", phoneNumber: "+14255550111" });
    const fuzzyStop = smsEvent({
      kind: "received",
      body: "please take me off this list",
      phoneNumber: "+14255550112",
    });
    const complaint = smsEvent({ kind: "received", body: "SPAM! I will report you", messageId: "in-9" });
    const counts = signalCountsOf([
      item(delivered),
      item(delivered), // redelivered record
      item(blocked),
      item(stop, "2026-06-16T17:58"),
      item({ ...stop, eventId: "again" }, "2026-06-16T17:58"), // the same number again
      item(fuzzyStop, "2026-06-16T17:58"),
      item(complaint),
    ]);
    expect(counts.get(CAMPAIGN)).toEqual({
      "breaker:2026-06-16T18:00:receipts": 2,
      "breaker:2026-06-16T18:00:delivered": 1,
      "breaker:2026-06-16T18:00:failed": 1,
      "breaker:2026-06-16T18:00:blocked": 1,
      "breaker:2026-06-16T17:58:opted_out": 2,
      "breaker:2026-06-16T18:00:complaints": 1,
    });
  });
});

describe("the circuit breaker in the analytics consumer", () => {
  it("links replies to their campaign through the message log and counts them in the minute their message was sent", async () => {
    const campaigns = new MemoryCampaignStore();
    const messages = new MemoryMessageLog();
    const notifier = new MemoryNotifier();
    await campaigns.put({ ...newCampaignRecord(CAMPAIGN, welcomeSeries, new Date()), status: "running" }, 0);
    const phone = (i: number) => `+1425555${String(i).padStart(4, "0")}`;
    for (let i = 0; i < 100; i++) {
      await messages.record({
        messageId: `m${i}`,
        phoneNumber: phone(i),
        sentAt: "2026-06-16T18:00:05.000Z",
        campaignId: CAMPAIGN,
      });
    }
    const delivered = Array.from({ length: 100 }, (_, i) =>
      smsEvent({
        kind: "delivered",
        messageId: `m${i}`,
        campaignId: CAMPAIGN,
        occurredAt: "2026-06-16T18:00:09.000Z",
      }),
    );
    // Four STOPs (4 %, above 3 %) three minutes later, carrying no campaign of their own.
    const stops = [0, 1, 2, 3].map((i) =>
      smsEvent({
        kind: "received",
        body: "STOP",
        phoneNumber: phone(i),
        occurredAt: "2026-06-16T18:03:00.000Z",
      }),
    );
    const outcomes = await runCircuitBreaker(
      [...delivered, ...stops],
      { campaigns, notifier, messages },
      { ...DEFAULT_CIRCUIT_BREAKER, minSample: 100 },
      new Date("2026-06-16T18:03:30.000Z"),
    );
    expect(await campaigns.counts(breakerCountersId(CAMPAIGN, "2026-06-16T18"))).toMatchObject({
      "breaker:2026-06-16T18:00:delivered": 100,
      "breaker:2026-06-16T18:00:opted_out": 4,
    });
    expect(outcomes.map((outcome) => [outcome.action, outcome.trip.reason, outcome.trip.windowTo])).toEqual([
      ["tripped", "opt_out_rate", "2026-06-16T18:03"],
    ]);
    expect(notifier.published[0].message).toContain("opt-out rate 4% (4 opt-outs of delivered 100)");
  });
});

/** A memory store that records which counters items were added to and read. */
class RecordingCampaignStore extends MemoryCampaignStore {
  readonly added = new Set<string>();
  readonly expiries = new Map<string, string | undefined>();
  reads: string[] = [];
  override async addCounts(
    id: string,
    delta: Readonly<Record<string, number>>,
    options?: { expiresAt?: Date },
  ) {
    this.added.add(id);
    this.expiries.set(id, options?.expiresAt?.toISOString());
    await super.addCounts(id, delta);
  }
  override async counts(id: string) {
    this.reads.push(id);
    return super.counts(id);
  }
}

describe("the circuit breaker's storage", () => {
  const ports = (campaigns: MemoryCampaignStore) => ({
    campaigns,
    notifier: new MemoryNotifier(),
    messages: new MemoryMessageLog(),
  });
  const launch = async (campaigns: MemoryCampaignStore) =>
    campaigns.put({ ...newCampaignRecord(CAMPAIGN, welcomeSeries, new Date()), status: "running" }, 0);
  const delivered = (at: string) =>
    smsEvent({ kind: "delivered", messageId: `m-${at}`, campaignId: CAMPAIGN, occurredAt: at });

  it("keeps a week of minutes out of the campaign's counters, in hour items of at most 60 minutes, and reads only the window's hours", async () => {
    const campaigns = new RecordingCampaignStore();
    await launch(campaigns);
    await campaigns.addCounts(CAMPAIGN, { sent: 7 });
    const start = Date.parse("2026-06-16T00:00:00.000Z");
    const settings = { ...DEFAULT_CIRCUIT_BREAKER, windowMinutes: 60 };
    // One batch per hour for a week, a delivered receipt every five minutes.
    let lastReads: string[] = [];
    for (let hour = 0; hour < 7 * 24; hour++) {
      campaigns.reads = [];
      const batch = Array.from({ length: 12 }, (_, i) =>
        delivered(new Date(start + (hour * 60 + i * 5 + 4) * 60_000 + 5_000).toISOString()),
      );
      expect(await runCircuitBreaker(batch, ports(campaigns), settings, new Date())).toEqual([]);
      lastReads = [...campaigns.reads];
    }
    // The campaign's own counters are what they were: no breaker counter ever lands there.
    expect(await campaigns.counts(CAMPAIGN)).toEqual({ sent: 7 });
    // 168 hour items, none holding more than its hour's 60 minutes of the six signals.
    const hourItems = [...campaigns.added].filter((id) => id !== CAMPAIGN);
    expect(hourItems).toHaveLength(168);
    for (const id of hourItems) {
      const names = Object.keys(await campaigns.counts(id));
      const hour = id.slice(-13);
      expect(names.length).toBeLessThanOrEqual(60 * 6);
      expect(names.every((name) => name.startsWith(`${BREAKER_COUNTER_PREFIX}${hour}:`))).toBe(true);
    }
    // The last batch's window (the week's last 60 minutes, 23:00 to 23:59) read its one hour only.
    expect(lastReads).toEqual([breakerCountersId(CAMPAIGN, "2026-06-22T23")]);
    // Nor does the store list them as campaigns.
    expect((await campaigns.list()).map((record) => record.campaignId)).toEqual([CAMPAIGN]);
  });

  it("reads at most ceil(window / 60) + 1 hour items", () => {
    const ids = (from: string, to: string) => windowCountersIds(CAMPAIGN, { from, to });
    expect(ids("2026-06-16T17:51", "2026-06-16T18:00")).toEqual([
      "spring-sale#breaker#2026-06-16T17",
      "spring-sale#breaker#2026-06-16T18",
    ]);
    expect(ids("2026-06-16T23:30", "2026-06-17T01:29")).toEqual([
      "spring-sale#breaker#2026-06-16T23",
      "spring-sale#breaker#2026-06-17T00",
      "spring-sale#breaker#2026-06-17T01",
    ]);
    expect(ids("2026-06-16T18:00", "2026-06-16T18:59")).toHaveLength(1);
  });

  it("sums a window that spans an hour boundary from both hours, and nothing older", async () => {
    const campaigns = new RecordingCampaignStore();
    await launch(campaigns);
    const run = (events: SmsEvent[]) =>
      runCircuitBreaker(events, ports(campaigns), SETTINGS, new Date("2026-06-16T18:03:00.000Z"));
    const minuteBatch = (minute: string, delivered: number, blocked: number) =>
      Array.from({ length: delivered + blocked }, (_, i) =>
        smsEvent({
          kind: i < blocked ? "failed" : "delivered",
          messageId: `${minute}-${i}`,
          campaignId: CAMPAIGN,
          occurredAt: `${minute}:10.000Z`,
          provider: "aws-eum",
          status: i < blocked ? "CARRIER_BLOCKED" : "DELIVERED",
        }),
      );
    // A block at 17:40, before the 10-minute window ending at 18:02 (17:53 to 18:02).
    await run(minuteBatch("2026-06-16T17:40", 0, 1));
    // 10 receipts at 17:55 and 10 at 18:02 (one blocked): only together do they make the minimum
    // sample of 20, and 1 blocked of 20 (5 %) crosses 2 %.
    await run(minuteBatch("2026-06-16T17:55", 10, 0));
    campaigns.reads = [];
    const outcomes = await run(minuteBatch("2026-06-16T18:02", 9, 1));
    expect(campaigns.reads).toEqual([
      breakerCountersId(CAMPAIGN, "2026-06-16T17"),
      breakerCountersId(CAMPAIGN, "2026-06-16T18"),
    ]);
    expect(outcomes.map((outcome) => outcome.trip.figures[0])).toEqual([
      expect.objectContaining({ rule: "carrier_block_rate", count: 1, of: 20, crossed: true }),
    ]);
    // Each hour item may expire a week after its hour and a window have passed (where the store has a TTL).
    expect(Object.fromEntries(campaigns.expiries)).toEqual({
      [breakerCountersId(CAMPAIGN, "2026-06-16T17")]: "2026-06-23T18:10:00.000Z",
      [breakerCountersId(CAMPAIGN, "2026-06-16T18")]: "2026-06-23T19:10:00.000Z",
    });
  });
});
