import { describe, expect, it } from "vitest";
import type { Clock, SendRequest } from "../../../core/ports";
import { welcomeSeries } from "../../../journeys";
import { SimulatedCarrier } from "../../../providers/local/carrier/carrier";
import { eumFormat } from "../../../providers/local/carrier/eum-format";
import { decideFate, spikedFate } from "../../../providers/local/carrier/fate";
import { DEFAULT_CARRIER_RATES } from "../../../providers/local/carrier/rates";
import { sendsLeft } from "../../../providers/local/report/breaker-summary";

const clock: Clock = { now: () => new Date("2026-06-16T18:00:00Z"), sleep: async () => {} };
const request = (n: number, campaignId: string): SendRequest => ({
  to: `+1212555${String(1000 + n).padStart(4, "0")}`,
  body: "Welcome!",
  messageType: "promotional",
  campaignId,
  subscriberId: `sub-${n}`,
  idempotencyKey: `${campaignId}:sub-${n}:welcome`,
});

describe("the carrier's spike", () => {
  it("blocks about its share of one campaign's messages, deterministically, with no reply, and leaves other campaigns alone", async () => {
    const carrier = new SimulatedCarrier({
      seed: 7,
      clock,
      rates: DEFAULT_CARRIER_RATES,
      originationNumber: "+18445550123",
      format: eumFormat("arn:aws:sns:us-east-1:111122223333:sms-inbound"),
      spike: { campaignId: "spiked", share: 0.3 },
    });
    for (let n = 0; n < 1000; n++) await carrier.send(request(n, "spiked"));
    for (let n = 0; n < 1000; n++) await carrier.send(request(n, "calm"));
    const { spikeBlocked, failuresByStatus } = carrier.stats;
    expect(spikeBlocked).toBeGreaterThan(250);
    expect(spikeBlocked).toBeLessThan(350);
    expect((failuresByStatus.CARRIER_BLOCKED ?? 0) + (failuresByStatus.SPAM ?? 0)).toBeGreaterThanOrEqual(
      spikeBlocked,
    );
    for (let n = 0; n < 1000; n++) {
      const key = request(n, "calm").idempotencyKey;
      expect(carrier.fateOf(key, "calm")).toEqual(decideFate(7, key, DEFAULT_CARRIER_RATES));
      const spiked = carrier.fateOf(request(n, "spiked").idempotencyKey, "spiked");
      if (spiked.status === "CARRIER_BLOCKED" || spiked.status === "SPAM")
        expect(spiked.reply).toBeUndefined();
    }
  });

  it("is the same fate for the same seed and key, and keeps the unblocked fate whole", () => {
    const fate = decideFate(7, "k", DEFAULT_CARRIER_RATES);
    expect(spikedFate(7, "k", fate, 0.3)).toEqual(spikedFate(7, "k", fate, 0.3));
    expect(spikedFate(7, "k", fate, 0)).toBe(fate);
    expect(spikedFate(7, "k", fate, 1).status).toMatch(/^(CARRIER_BLOCKED|SPAM)$/);
  });
});

describe("the sends a paused Welcome Series still owed", () => {
  const steps = welcomeSeries.steps;
  it("counts the welcome and one more, unless the welcome draws a STOP", () => {
    expect(sendsLeft(steps, "welcome")).toBe(2);
    expect(sendsLeft(steps, "welcome", () => "YES")).toBe(2);
    expect(sendsLeft(steps, "welcome", () => "STOP")).toBe(1);
  });

  it("counts one for a journey waiting on the reply, or due its thank-you, and none past the end", () => {
    expect(sendsLeft(steps, "answer")).toBe(1);
    expect(sendsLeft(steps, "thank-you")).toBe(1);
    expect(sendsLeft(steps, "follow-up")).toBe(1);
    expect(sendsLeft(steps, "no-such-step")).toBe(0);
  });
});
