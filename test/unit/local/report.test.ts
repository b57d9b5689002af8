import { describe, expect, it } from "vitest";
import type { SmsEvent } from "../../../core/events/schema";
import { renderDashboard } from "../../../providers/local/report/dashboard";
import { cumulativeRates, renderReportHtml } from "../../../providers/local/report/html";
import type { RunSummary } from "../../../providers/local/report/run-summary";
import { evaluateAlarms, timelineOf, totalsOf } from "../../../providers/local/report/summary";
import { barChartSvg, escapeXml } from "../../../providers/local/report/svg";
import { classifyDeadLetter, type DeadLetterCounts } from "../../../providers/local/run/collect";

let counter = 0;
const event = (fields: Partial<SmsEvent> & Pick<SmsEvent, "kind">): SmsEvent => ({
  eventId: `e-${++counter}`,
  schemaVersion: 1,
  occurredAt: "2026-06-16T18:00:05.000Z",
  provider: "aws-eum",
  phoneNumber: "+12125550100",
  campaignId: "c",
  ...fields,
});

/** One campaign: m1 delivered and answered STOP, m2 failed, m3 accepted but its receipt never came. */
const campaignEvents = (): SmsEvent[] => [
  event({ kind: "queued", messageId: "m1", priceUsd: 0.005 }),
  event({ kind: "queued", messageId: "m2", phoneNumber: "+12125550101", priceUsd: 0.005 }),
  event({ kind: "queued", messageId: "m3", phoneNumber: "+12125550102", priceUsd: 0.005 }),
  event({ kind: "delivered", messageId: "m1", priceUsd: 0.00581, carrierFeeUsd: 0.003, countryCode: "US" }),
  event({
    kind: "failed",
    messageId: "m2",
    status: "BLOCKED",
    priceUsd: 0.00581,
    countryCode: "US",
    phoneNumber: "+12125550101",
  }),
  event({ kind: "received", body: "STOP", occurredAt: "2026-06-16T18:03:00.000Z" }),
];

describe("run totals from archived events", () => {
  it("counts a message as sent once accepted, even when its receipt never arrived", () => {
    const totals = totalsOf(campaignEvents());
    expect([totals.sent, totals.delivered, totals.failed, totals.replies, totals.optOuts]).toEqual([
      3, 1, 1, 1, 1,
    ]);
    expect(totals.deliveryRate).toBeCloseTo(33.33, 2);
    expect(totals.responseRate).toBe(100);
    expect(totals.failuresByStatus).toEqual({ BLOCKED: 1 });
    expect(totals.repliesByCategory).toEqual({ stop: 1 });
  });

  it("bills receipts only, so a message's estimate and its final price are not added together", () => {
    const totals = totalsOf(campaignEvents());
    expect(totals.costUsd).toBeCloseTo(0.00581 + 0.003 + 0.00581, 6);
    expect(totals.costPerMessageUsd).toBeCloseTo(totals.costUsd / 3, 6);
    expect(totals.costByCountry).toEqual({ US: totals.costUsd });
  });

  it("counts a replayed event once", () => {
    const events = campaignEvents();
    expect(totalsOf([...events, ...events])).toEqual(totalsOf(events));
  });

  it("buckets events by simulated minute for the timeline", () => {
    const timeline = timelineOf(campaignEvents());
    expect(timeline.map((point) => point.minute)).toEqual(["2026-06-16T18:00:00Z", "2026-06-16T18:03:00Z"]);
    expect(timeline[0]).toMatchObject({ sent: 3, delivered: 1, failed: 1 });
    expect(timeline[1]).toMatchObject({ replies: 1, optOuts: 1 });
  });
});

describe("alarms", () => {
  const thresholds = { deliveryRatePercent: 95, optOutRatePercent: 5, iteratorAgeMs: 60_000 };

  it("fire when the delivery rate is under, the opt-out rate over, or the iterator older than the thresholds", () => {
    const totals = totalsOf(campaignEvents());
    const fired = evaluateAlarms(totals, 61_000, thresholds)
      .filter((alarm) => alarm.fired)
      .map((alarm) => alarm.name);
    expect(fired).toEqual(["delivery-rate-low", "opt-out-rate-high", "iterator-age-high"]);
  });

  it("stay quiet at the threshold itself", () => {
    const totals = { ...totalsOf(campaignEvents()), deliveryRate: 95, optOutRate: 5 };
    expect(evaluateAlarms(totals, 60_000, thresholds).some((alarm) => alarm.fired)).toBe(false);
  });
});

describe("the dead-letter queue reader", () => {
  it("tells records a function dead-lettered itself from batches the poller gave up on", () => {
    const counts: DeadLetterCounts = { undecodable: {}, abandoned: {}, messages: 0 };
    classifyDeadLetter(
      JSON.stringify({ raw: "e30=", reason: "bad", source: "archive:shardId-0/49", receivedAt: "x" }),
      counts,
    );
    classifyDeadLetter(
      JSON.stringify({
        requestContext: { functionArn: "arn:aws:lambda:us-east-1:0:function:sms-archive" },
        KinesisBatchInfo: { batchSize: 4 },
      }),
      counts,
    );
    expect(counts).toEqual({ undecodable: { archive: 1 }, abandoned: { "sms-archive": 4 }, messages: 2 });
  });
});

describe("the report", () => {
  const totals = totalsOf(campaignEvents());
  const summary = {
    ...totals,
    seed: 1,
    subscribers: 4,
    simulatedStart: "2026-06-16T18:00:00.000Z",
    dynamodb: "DynamoDB Local (Java)",
    audience: { total: 4, invalid: 0, optedOutBefore: 1, missingZone: 0, bogusZone: 0 },
    campaign: { held: 0 },
    analytics: { datums: 3, counts: { Delivered: 1 } },
    alarms: evaluateAlarms(totals, 1_000, {
      deliveryRatePercent: 95,
      optOutRatePercent: 5,
      iteratorAgeMs: 60_000,
    }),
    eventsPublished: 6,
    eventsArchived: 6,
    deadLettered: 0,
    responsesStored: 1,
    repliesReceived: 1,
    archiveFiles: 1,
    consumers: {},
    maxIteratorAgeMs: 1_000,
    invariants: [{ name: "responsesStored = repliesReceived", holds: false, detail: "0 = 1" }],
    timeline: timelineOf(campaignEvents()),
    wallSeconds: 1,
    eventsPerSecond: 6,
    shards: { local: 8, stack: 2 },
    phaseSeconds: {},
  } as unknown as RunSummary;

  it("is one self-contained page: no script, no external reference", () => {
    const html = renderReportHtml(summary);
    expect(html).not.toMatch(/<script|<link|src=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    for (const id of ["chart-funnel", "chart-rates", "chart-keywords", "chart-cost"])
      expect(html).toContain(`id="${id}"`);
  });

  it("escapes text that comes from data", () => {
    expect(escapeXml('<b>"A&B"</b>')).toBe("&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;");
    expect(barChartSvg("x", [{ label: "<script>", value: 1 }], String)).not.toContain("<script>");
  });

  it("draws rates that end at the run's overall rates", () => {
    const last = cumulativeRates(summary.timeline).at(-1)!;
    expect(last.delivery).toBeCloseTo(50, 5);
    expect(last.optOut).toBeCloseTo(100, 5);
  });

  it("prints a dashboard that names fired alarms and failed invariants", () => {
    const text = renderDashboard(summary);
    expect(text).toMatch(/FIRED delivery-rate-low/);
    expect(text).toMatch(/FAIL responsesStored = repliesReceived/);
  });
});
