import { describe, expect, it } from "vitest";
import { sendEventIdOf, sendKeyOf } from "../../../core/campaign/send-key";
import type { SmsEvent } from "../../../core/events/schema";
import { computeMetrics, METRIC } from "../../../core/processing/analytics";
import { classifyDeadLetter } from "../../../providers/local/clouds/aws-dead-letters";
import { autoReplyCostOf } from "../../../providers/local/report/auto-reply-cost";
import { renderDashboard } from "../../../providers/local/report/dashboard";
import { cumulativeRates, renderReportHtml } from "../../../providers/local/report/html";
import {
  type JourneySummary,
  percentile,
  sendsAfterOptOut,
  sendToReplyOf,
} from "../../../providers/local/report/journey-summary";
import { receivedFiguresOf } from "../../../providers/local/report/received-figures";
import { maskPhone, replyDigestOf } from "../../../providers/local/report/reply-digest";
import type { RunSummary } from "../../../providers/local/report/run-summary";
import { campaignStepsOf, stepRowsOf } from "../../../providers/local/report/step-rows";
import { evaluateAlarms, timelineOf, totalsOf } from "../../../providers/local/report/summary";
import { barChartSvg, escapeXml } from "../../../providers/local/report/svg";
import type { DeadLetterCounts } from "../../../providers/local/run/collect";

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

describe("the three counts of received replies", () => {
  // r2 redelivered by SNS: the same event a second time, in the next batch.
  const r1 = event({ kind: "received", messageId: "in-1", body: "YES" });
  const r2 = event({ kind: "received", messageId: "in-2", body: "when?", phoneNumber: "+12125550101" });
  const batches = [[r1, r2], [r2]];
  const analyticsReceived = batches
    .flatMap((batch) => computeMetrics(batch))
    .filter((datum) => datum.name === METRIC.received)
    .reduce((sum, datum) => sum + datum.value, 0);

  it("tell the deduplicated figure from the per-batch analytics count and the raw archive rows", () => {
    expect(analyticsReceived).toBe(3);
    expect(receivedFiguresOf(batches.flat(), analyticsReceived)).toEqual({
      archivedRows: 3,
      analyticsCounted: 3,
      deduplicated: 2,
    });
    expect(totalsOf(batches.flat()).replies).toBe(2);
  });
});

describe("the cost of automatic HELP and STOP answers", () => {
  const answer = (to: string, body: string, key: string) => ({
    to,
    body,
    idempotencyKey: key,
    messageType: "transactional" as const,
  });

  it("prices each answer by its destination's list price and its parts, apart by purpose", () => {
    const cost = autoReplyCostOf([
      answer("+12125550100", "Reply STOP to opt out.", "ev-1:help"),
      // 200 GSM characters: two concatenated parts of at most 153.
      answer("+4915112345678", "x".repeat(200), "ev-2:help"),
      answer("+447400123456", "You are unsubscribed.", "ev-3:stop-confirmation"),
      // Not an automatic answer: a campaign send through the same sender is not counted here.
      answer("+12125550100", "Hi", "local-welcome/s1/welcome"),
    ]);
    expect(cost.help).toEqual({
      messages: 2,
      parts: 3,
      costUsd: expect.closeTo(0.00581 + 0.003 + 2 * 0.0967, 6),
    });
    expect(cost.stop).toEqual({ messages: 1, parts: 1, costUsd: expect.closeTo(0.0336, 6) });
    expect(cost.costUsd).toBeCloseTo(0.00881 + 0.1934 + 0.0336, 6);
  });
});

describe("per campaign and step rows", () => {
  const queuedAs = (
    campaignId: string,
    subscriberId: string,
    stepId: string,
    messageId: string,
    phone: string,
  ) =>
    event({
      kind: "queued",
      eventId: sendEventIdOf(sendKeyOf({ campaignId, subscriberId, stepId }), "queued"),
      campaignId,
      subscriberId,
      messageId,
      phoneNumber: phone,
    });
  const receipt = (kind: "delivered" | "failed", messageId: string, priceUsd: number) =>
    event({ kind, messageId, priceUsd, carrierFeeUsd: 0.001, campaignId: undefined });
  const events = [
    queuedAs("w", "s1", "welcome", "m1", "+12125550100"),
    queuedAs("w", "s2", "welcome", "m2", "+12125550101"),
    queuedAs("w", "s1", "thanks", "m3", "+12125550100"),
    receipt("delivered", "m1", 0.01),
    receipt("delivered", "m2", 0.01),
    receipt("failed", "m3", 0.02),
    event({ kind: "received", body: "YES", inReplyTo: "m1", messageId: "in-1" }),
    event({
      kind: "received",
      body: "stop",
      inReplyTo: "m2",
      messageId: "in-2",
      phoneNumber: "+12125550101",
    }),
  ];
  const campaigns = [
    campaignStepsOf("w", [
      { type: "send", id: "welcome", template: "Welcome {{first_name}}", messageType: "promotional" },
      { type: "wait", id: "pause", durationMs: 1 },
      { type: "send", id: "thanks", template: "Thanks!", messageType: "promotional" },
    ]),
  ];

  it("attributes each message to its step by its send key, with the step's text", () => {
    expect(stepRowsOf([...events, events[6]], campaigns)).toEqual([
      {
        campaignId: "w",
        stepId: "welcome",
        template: "Welcome {{first_name}}",
        sent: 2,
        delivered: 2,
        replies: 2,
        optOuts: 1,
        costUsd: 0.022,
      },
      {
        campaignId: "w",
        stepId: "thanks",
        template: "Thanks!",
        sent: 1,
        delivered: 0,
        replies: 0,
        optOuts: 0,
        costUsd: 0.021,
      },
    ]);
  });
});

describe("the reply digest", () => {
  it("masks a number to its country code, area and last four digits", () => {
    expect(maskPhone("+12125551234")).toBe("+1212•••1234");
    expect(maskPhone("+447400123456")).toBe("+4474•••3456");
    expect(maskPhone("+3312")).toBe("•••12");
  });

  it("splits distinct replies by sentiment and samples free text in time order, numbers masked", () => {
    const at = (minute: number) => `2026-06-16T18:${String(minute).padStart(2, "0")}:00.000Z`;
    const love = event({
      kind: "received",
      body: "love it, thanks",
      occurredAt: at(3),
      phoneNumber: "+12125559876",
    });
    const replies = [
      event({ kind: "received", body: "YES", occurredAt: at(1) }),
      event({ kind: "received", body: "STOP", occurredAt: at(2) }),
      love,
      love,
      event({ kind: "received", body: "call me at 212 555 0147", occurredAt: at(4) }),
      event({ kind: "received", body: "terrible, awful", occurredAt: at(5) }),
    ];
    const digest = replyDigestOf(replies, 2);
    expect(digest.sentiment).toEqual({ positive: 2, neutral: 2, negative: 1 });
    expect(digest.freeText).toBe(3);
    expect(digest.samples).toEqual([
      { receivedAt: at(3), from: "+1212•••9876", body: "love it, thanks" },
      { receivedAt: at(4), from: "+1212•••0100", body: "call me at 212•••0147" },
    ]);
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
    expect(counts).toEqual({ undecodable: { archive: 1 }, abandoned: { archive: 4 }, messages: 2 });
  });
});

describe("the journey section's figures", () => {
  const at = (minutes: number) =>
    new Date(Date.parse("2026-06-16T18:00:00.000Z") + minutes * 60_000).toISOString();
  const journeyEvents = (): SmsEvent[] => [
    event({ kind: "queued", messageId: "w1", campaignId: "local-welcome", occurredAt: at(0) }),
    event({
      kind: "queued",
      messageId: "w2",
      campaignId: "local-welcome",
      occurredAt: at(0),
      phoneNumber: "+12125550101",
    }),
    event({ kind: "queued", messageId: "other", campaignId: "confirmation", occurredAt: at(0) }),
    event({ kind: "received", body: "YES", inReplyTo: "w1", occurredAt: at(2) }),
    event({
      kind: "received",
      body: "STOP",
      inReplyTo: "w2",
      occurredAt: at(10),
      phoneNumber: "+12125550101",
    }),
    // Answers another campaign's message: not the journey's.
    event({ kind: "received", body: "HELP", inReplyTo: "other", occurredAt: at(1) }),
  ];

  it("measures send to reply per answered message of the campaign only, once per event", () => {
    const events = journeyEvents();
    expect(sendToReplyOf([...events, events[3]], "local-welcome")).toEqual({
      replies: 2,
      medianSeconds: 120,
      p90Seconds: 600,
    });
    expect(sendToReplyOf(events, "nobody")).toEqual({ replies: 0, medianSeconds: 0, p90Seconds: 0 });
  });

  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    expect([percentile(values, 0.5), percentile(values, 0.9), percentile(values, 1)]).toEqual([5, 9, 10]);
  });

  it("finds a message queued to a number after its STOP, and none before it", () => {
    const events = journeyEvents();
    expect(sendsAfterOptOut(events)).toBe(0);
    const late = event({ kind: "queued", messageId: "w3", occurredAt: at(11), phoneNumber: "+12125550101" });
    expect(sendsAfterOptOut([...events, late])).toBe(1);
  });
});

const JOURNEY: JourneySummary = {
  campaignId: "local-welcome",
  journey: "welcome-series",
  status: "running",
  enrollment: "complete",
  enrolled: 4,
  alreadyEnrolled: 0,
  deadLettered: 0,
  sent: 6,
  sentByStep: { welcome: 3, "thank-you": 1, "follow-up": 2 },
  parts: 6,
  failed: 0,
  held: { unknown_time_zone: 1 },
  suppressed: { opted_out: 1 },
  waiting: 1,
  done: { completed: 3, stopped: 0, cancelled: 0 },
  replies: { YES: 1 },
  launchedAt: "2026-06-16T18:10:00.000Z",
  finishedAt: "2026-06-18T18:09:00.000Z",
  intervalSeconds: 60,
  ticks: 2880,
  busyTicks: 12,
  enrollmentChunks: 1,
  sendToReply: { replies: 3, medianSeconds: 150, p90Seconds: 400 },
};

describe("the report", () => {
  const totals = totalsOf(campaignEvents());
  const summary = {
    ...totals,
    seed: 1,
    subscribers: 4,
    simulatedStart: "2026-06-16T18:00:00.000Z",
    cloud: "gcp",
    services: [
      { deployed: "Pub/Sub", local: "the Pub/Sub emulator (gcloud)", simulated: false },
      { deployed: "Twilio", local: "the simulated carrier", simulated: true },
    ],
    stores: "the Firestore emulator (gcloud)",
    audience: { total: 4, invalid: 0, optedOutBefore: 1, missingZone: 0, bogusZone: 0 },
    campaign: { held: 0 },
    journey: JOURNEY,
    analytics: { datums: 3, counts: { Delivered: 1 } },
    steps: [
      {
        campaignId: "local-welcome",
        stepId: "welcome",
        template: "Hi <b>{{first_name}}</b>",
        sent: 3,
        delivered: 2,
        replies: 1,
        optOuts: 1,
        costUsd: 0.01762,
      },
    ],
    heldSends: [{ stepId: "welcome", goesOutAt: "2026-06-17T22:00Z", messages: 2 }],
    replyDigest: {
      sentiment: { positive: 3, neutral: 2, negative: 1 },
      freeText: 4,
      samples: [{ receivedAt: "2026-06-16T18:04:00.000Z", from: "+1212•••0100", body: "<i>maybe</i>" }],
    },
    received: { archivedRows: 48, analyticsCounted: 47, deduplicated: 46 },
    autoReplyCost: {
      help: { messages: 2, parts: 2, costUsd: 0.01762 },
      stop: { messages: 1, parts: 1, costUsd: 0.00881 },
      costUsd: 0.02643,
    },
    alarms: evaluateAlarms(totals, 1_000, {
      deliveryRatePercent: 95,
      optOutRatePercent: 5,
      iteratorAgeMs: 60_000,
    }),
    eventsPublished: 6,
    eventsArchived: 6,
    deadLettered: 0,
    responsesStored: 1,
    optOutsStored: 0,
    chaos: { throttle: 0 },
    notifications: { delivered: 0, distinct: 0, byPattern: {} },
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

  it("names hold reasons in words, every underscore replaced", () => {
    const html = renderReportHtml(summary);
    expect(html).toContain("unknown time zone");
    expect(html).not.toContain("time_zone");
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

  it("prints what a killed emulator's recovery took, and the sends made twice", () => {
    const text = renderDashboard({
      ...summary,
      chaos: { throttle: 0, killed: "kinesis", crashes: 1, recovery: { fromSnapshot: 64, putBack: 12 } },
      carrier: { ...summary.carrier, duplicateSends: 0 },
    });
    expect(text).toContain(
      "kinesis killed (SIGKILL) and restarted 1 time(s); fromSnapshot 64; putBack 12; duplicate sends 0",
    );
    expect(renderDashboard(summary)).not.toContain("killed (SIGKILL)");
  });

  it("keeps the invariants in a collapsed run checks section whose summary names a failure", () => {
    const html = renderReportHtml(summary);
    const checks = html.match(/<details id="run-checks">([\s\S]*?)<\/details>/)?.[1] ?? "";
    expect(checks).toContain("<summary>Run checks: 1 of 1 FAIL</summary>");
    expect(checks).toContain("responsesStored = repliesReceived");
    expect(html).not.toMatch(/<details id="run-checks" open/);
    expect(html.replace(checks, "")).not.toContain("responsesStored = repliesReceived");
  });

  it("shows the automatic answers' cost apart from the campaign cost", () => {
    const html = renderReportHtml(summary);
    expect(html).toContain(`Campaign cost<b>$${totals.costUsd.toFixed(5)}</b>`);
    expect(html).toContain("HELP/STOP answers cost<b>$0.02643</b>");
    expect(html).toMatch(/<td>HELP text<\/td><td>2<\/td><td>2<\/td><td>\$0\.01762<\/td>/);
    expect(html).toMatch(/<td>STOP confirmation<\/td><td>1<\/td><td>1<\/td><td>\$0\.00881<\/td>/);
    expect(renderDashboard(summary)).toContain("HELP/STOP answers $0.03 apart");
  });

  it("lists each campaign step with its message text, escaped", () => {
    const html = renderReportHtml(summary);
    expect(html).toContain(
      '<tr><td>local-welcome</td><td>welcome</td><td class="message">Hi &lt;b&gt;{{first_name}}&lt;/b&gt;</td><td>3</td><td>2</td><td>1</td><td>1</td><td>$0.01762</td></tr>',
    );
  });

  it("draws the sentiment split and lists masked free-text samples", () => {
    const html = renderReportHtml(summary);
    expect(html).toContain('id="chart-sentiment" class="chart" data-points="3"');
    expect(html).toContain("Free-text replies (1 of 4)");
    expect(html).toContain(
      '<td>2026-06-16 18:04</td><td>+1212•••0100</td><td class="message">&lt;i&gt;maybe&lt;/i&gt;</td>',
    );
    expect(html).not.toContain("+12125550100");
  });

  it("names the cloud and what played each of its services, marking in-process stand-ins", () => {
    const html = renderReportHtml(summary);
    expect(html).toContain("local run of the GCP stack");
    const table = html.match(/<table id="services">([\s\S]*?)<\/table>/)?.[1] ?? "";
    expect(table).toContain("<td>Pub/Sub</td><td>the Pub/Sub emulator (gcloud)</td>");
    expect(table).toContain("<td>Twilio</td><td>the simulated carrier <em>(simulated in-process)</em></td>");
    expect(renderDashboard(summary)).toMatch(
      /local run of the GCP stack[\s\S]*Twilio: the simulated carrier \(simulated in-process\)/,
    );
  });

  it("lists held messages with their next attempt", () => {
    const html = renderReportHtml(summary);
    expect(html).toContain("<tr><td>welcome</td><td>2</td><td>2026-06-17 22:00 UTC</td></tr>");
    expect(html).toContain("Reasons so far: unknown time zone 1.");
  });

  it("labels each count of received replies with what it deduplicates", () => {
    const html = renderReportHtml(summary);
    const table = html.match(/<table id="received-figures">([\s\S]*?)<\/table>/)?.[1] ?? "";
    expect(table).toMatch(/Replies \(deduplicated\)<\/td><td>46<\/td><td>distinct replies by event id/);
    expect(table).toMatch(/Counted by analytics<\/td><td>47<\/td><td>[^<]*within a batch only/);
    expect(table).toMatch(/Archived rows<\/td><td>48<\/td><td>every delivery/);
    expect(renderDashboard(summary)).toMatch(
      /replies received: +46 deduplicated \(Replies, responses table\); 47 counted by analytics \(per batch\); 48 archived rows/,
    );
  });

  it("prints and draws the journey counts per step and branch", () => {
    const text = renderDashboard(summary);
    expect(text).toMatch(/sent per step: +welcome 3, thank-you 1, follow-up 2/);
    expect(text).toMatch(/replies per branch: +YES 1; STOP 0/);
    expect(text).toMatch(/waiting \/ done: +1 \/ 3 completed, 0 stopped/);
    expect(text).toMatch(/send to reply: +median 2\.5 min, p90 6\.7 min \(3 replies\)/);
    const html = renderReportHtml(summary);
    expect(html).toContain('id="chart-journey" class="chart" data-points="7"');
    expect(html).toContain("Sent: follow-up");
  });
});
