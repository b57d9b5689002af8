import { describe, expect, it } from "vitest";
import type { SmsEvent } from "../../../core/events/schema";
import type { MetricDatum } from "../../../core/ports";
import { computeMetrics, METRIC, NO_CAMPAIGN, runAnalytics } from "../../../core/processing/analytics";
import { createMemoryPorts, MemoryMessageLog } from "../../../providers/local/runtime/memory";
import { reply, smsEvent } from "./events";

const metricValue = (
  datums: MetricDatum[],
  name: string,
  campaignId: string,
  minute = "2026-11-24T10:00:00.000Z",
) =>
  datums.find((d) => d.name === name && d.dimensions.campaignId === campaignId && d.timestamp === minute)
    ?.value;

/** Campaign "spring" in one minute: 4 messages out, 3 delivered, 1 failed, 2 repliers, 1 STOP. */
function springBatch(): SmsEvent[] {
  const c = { campaignId: "spring" };
  return [
    smsEvent({
      kind: "sent",
      messageId: "m1",
      phoneNumber: "+14255550101",
      priceUsd: 0.00581,
      carrierFeeUsd: 0.003,
      ...c,
    }),
    smsEvent({
      kind: "sent",
      messageId: "m2",
      phoneNumber: "+14255550102",
      priceUsd: 0.00581,
      carrierFeeUsd: 0.003,
      ...c,
    }),
    smsEvent({
      kind: "sent",
      messageId: "m3",
      phoneNumber: "+14255550103",
      priceUsd: 0.01162,
      carrierFeeUsd: 0.006,
      ...c,
    }),
    smsEvent({ kind: "delivered", messageId: "m1", phoneNumber: "+14255550101", ...c }),
    smsEvent({ kind: "delivered", messageId: "m2", phoneNumber: "+14255550102", ...c }),
    smsEvent({ kind: "failed", messageId: "m3", phoneNumber: "+14255550103", ...c }),
    // m4's sent event was in an earlier batch; its delivery still proves the send.
    smsEvent({ kind: "delivered", messageId: "m4", phoneNumber: "+14255550104", ...c }),
    reply("Yes!", { phoneNumber: "+14255550101", ...c }),
    reply("and one more thing", { phoneNumber: "+14255550101", ...c }),
    reply("STOP", { phoneNumber: "+14255550102", ...c }),
  ];
}

describe("computeMetrics", () => {
  it("counts each kind per campaign and minute", () => {
    const datums = computeMetrics(springBatch());
    expect(metricValue(datums, METRIC.sent, "spring")).toBe(3);
    expect(metricValue(datums, METRIC.delivered, "spring")).toBe(3);
    expect(metricValue(datums, METRIC.failed, "spring")).toBe(1);
    expect(metricValue(datums, METRIC.received, "spring")).toBe(3);
    expect(metricValue(datums, METRIC.optedOut, "spring")).toBe(1);
  });

  it("computes the rates of a hand-built batch exactly", () => {
    const datums = computeMetrics(springBatch());
    // 4 messages known sent (m1..m3 sent events + m4's delivery), 3 delivered.
    expect(metricValue(datums, METRIC.deliveryRate, "spring")).toBe(75);
    // 2 distinct repliers / 3 delivered.
    expect(metricValue(datums, METRIC.responseRate, "spring")).toBeCloseTo(66.6667, 4);
    // 1 STOP / 3 delivered.
    expect(metricValue(datums, METRIC.optOutRate, "spring")).toBeCloseTo(33.3333, 4);
    // (0.00881 + 0.00881 + 0.01762) / 3 priced messages.
    expect(metricValue(datums, METRIC.costPerMessage, "spring")).toBeCloseTo(0.01174667, 8);
  });

  it("gives each datum its unit", () => {
    const units = Object.fromEntries(computeMetrics(springBatch()).map((d) => [d.name, d.unit]));
    expect(units).toMatchObject({
      [METRIC.sent]: "Count",
      [METRIC.deliveryRate]: "Percent",
      [METRIC.costPerMessage]: "None",
    });
  });

  it("emits no rate whose denominator is zero", () => {
    const datums = computeMetrics([reply("hello", { campaignId: "quiet" })]);
    expect(datums.map((d) => d.name)).toEqual([METRIC.received]);
  });

  it("counts events without a campaign under none and splits minutes by UTC start", () => {
    const datums = computeMetrics([
      smsEvent({ kind: "sent", messageId: "a", occurredAt: "2026-11-24T10:00:59.999Z" }),
      smsEvent({ kind: "sent", messageId: "b", occurredAt: "2026-11-24T10:01:00.000Z" }),
      smsEvent({ kind: "sent", messageId: "c", occurredAt: "2026-11-24T12:01:30.000+02:00" }),
    ]);
    expect(metricValue(datums, METRIC.sent, NO_CAMPAIGN, "2026-11-24T10:00:00.000Z")).toBe(1);
    expect(metricValue(datums, METRIC.sent, NO_CAMPAIGN, "2026-11-24T10:01:00.000Z")).toBe(2);
  });

  it("counts a number once when both the carrier and a STOP reply report its opt-out", () => {
    const datums = computeMetrics([
      smsEvent({ kind: "delivered", messageId: "m", campaignId: "c" }),
      reply("stop", { campaignId: "c" }),
      smsEvent({ kind: "opted_out", campaignId: "c" }),
    ]);
    expect(metricValue(datums, METRIC.optedOut, "c")).toBe(1);
    expect(metricValue(datums, METRIC.optOutRate, "c")).toBe(100);
  });

  it("counts an event repeated within a batch once", () => {
    const sent = smsEvent({ kind: "sent", messageId: "m", campaignId: "c" });
    expect(metricValue(computeMetrics([sent, sent, { ...sent }]), METRIC.sent, "c")).toBe(1);
  });

  it("prices a message once even when its sent event and every receipt repeat the price", () => {
    const priced = { campaignId: "c", messageId: "m", priceUsd: 0.00581, carrierFeeUsd: 0.003 };
    const datums = computeMetrics([
      smsEvent({ kind: "sent", ...priced, carrierFeeUsd: undefined }),
      smsEvent({ kind: "sent", ...priced }),
      smsEvent({ kind: "delivered", ...priced }),
      smsEvent({ kind: "sent", campaignId: "c", messageId: "free", priceUsd: 0 }),
    ]);
    expect(metricValue(datums, METRIC.costPerMessage, "c")).toBeCloseTo(0.00881 / 2, 10);
  });

  it("does not let a duplicated receipt push the delivery rate above 100 %", () => {
    const delivered = smsEvent({ kind: "delivered", messageId: "m", campaignId: "c" });
    const datums = computeMetrics([delivered, { ...delivered, eventId: "retried-copy" }]);
    expect(metricValue(datums, METRIC.delivered, "c")).toBe(1);
    expect(metricValue(datums, METRIC.deliveryRate, "c")).toBe(100);
  });

  it("keeps campaigns apart", () => {
    const datums = computeMetrics([
      smsEvent({ kind: "delivered", messageId: "1", campaignId: "a" }),
      smsEvent({ kind: "failed", messageId: "2", campaignId: "b" }),
    ]);
    expect(metricValue(datums, METRIC.deliveryRate, "a")).toBe(100);
    expect(metricValue(datums, METRIC.deliveryRate, "b")).toBe(0);
  });
});

describe("runAnalytics", () => {
  it("sends the computed metrics to the metrics port", async () => {
    const ports = createMemoryPorts();
    const datums = await runAnalytics(springBatch(), ports);
    expect(ports.metrics.datums).toEqual(datums);
    expect(ports.metrics.total(METRIC.delivered, { campaignId: "spring" })).toBe(3);
  });

  it("does not call the port for an empty batch", async () => {
    let calls = 0;
    await runAnalytics([], {
      messages: new MemoryMessageLog(),
      metrics: {
        emit: async () => {
          calls++;
        },
      },
    });
    expect(calls).toBe(0);
  });
});
