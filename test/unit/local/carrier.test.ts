import { describe, expect, it } from "vitest";
import type { Clock, SendRequest } from "../../../core/ports";
import { SimulatedCarrier } from "../../../providers/local/carrier/carrier";
import { eumFormat } from "../../../providers/local/carrier/eum-format";
import { decideFate } from "../../../providers/local/carrier/fate";
import { CarrierRatesSchema, DEFAULT_CARRIER_RATES } from "../../../providers/local/carrier/rates";

class SteppingClock implements Clock {
  constructor(private current: number) {}
  now() {
    return new Date(this.current);
  }
  async sleep(ms: number) {
    this.current += ms;
  }
}

const start = Date.parse("2026-06-16T18:00:00Z");
const request = (n: number, to = `+1212555${String(1000 + n).padStart(4, "0")}`): SendRequest => ({
  to,
  body: "Reply YES to confirm your appointment tomorrow at 10:00.",
  messageType: "transactional",
  campaignId: "cmp-local",
  subscriberId: `sub-${n}`,
  idempotencyKey: `cmp-local:sub-${n}:confirm`,
});

const carrierWith = (rates = DEFAULT_CARRIER_RATES, seed = 7) =>
  new SimulatedCarrier({
    seed,
    clock: new SteppingClock(start),
    rates,
    originationNumber: "+18445550123",
    format: eumFormat("arn:aws:sns:us-east-1:111122223333:sms-inbound"),
  });

const json = (data: Uint8Array) => JSON.parse(new TextDecoder().decode(data));

describe("the simulated carrier", () => {
  it("rejects a number that is not valid E.164 without scheduling anything", async () => {
    const carrier = carrierWith();
    const result = await carrier.send(request(1, "+1212555"));
    expect(result.status).toBe("invalid_number");
    expect(carrier.pending).toBe(0);
  });

  it("reports a delivery receipt in the EventBridge form of End User Messaging v2, after a simulated latency", async () => {
    const carrier = carrierWith(CarrierRatesSchema.parse({ deliveryFailureRate: 0, replyRate: 0 }));
    const result = await carrier.send(request(1));
    expect(result).toMatchObject({ status: "sent", parts: 1, priceUsd: 0.00581 });
    const [emission] = carrier.takeAll();
    const receipt = json(emission.data);
    expect(receipt).toMatchObject({
      source: "aws.sms-voice",
      "detail-type": "Text Message Delivery Status Updated",
      detail: {
        eventType: "TEXT_DELIVERED",
        messageStatus: "DELIVERED",
        destinationPhoneNumber: "+12125551001",
        originationPhoneNumber: "+18445550123",
        messageId: result.status === "sent" ? result.messageId : "",
        messageType: "TRANSACTIONAL",
        totalMessageParts: 1,
        context: { campaignId: "cmp-local", subscriberId: "sub-1" },
      },
    });
    expect(emission.at.getTime()).toBeGreaterThan(start);
    expect(receipt.detail.eventTimestamp).toBe(emission.at.getTime());
    expect(receipt.detail.messageRequestTimestamp).toBe(start);
  });

  it("answers with failure statuses carriers really report when every delivery fails", async () => {
    const carrier = carrierWith(CarrierRatesSchema.parse({ deliveryFailureRate: 1 }));
    for (let n = 0; n < 200; n++) await carrier.send(request(n));
    const statuses = new Set(carrier.takeAll().map((emission) => json(emission.data).detail.messageStatus));
    expect(statuses.has("DELIVERED")).toBe(false);
    for (const status of statuses) {
      expect([
        "CARRIER_UNREACHABLE",
        "UNREACHABLE",
        "BLOCKED",
        "TTL_EXPIRED",
        "INVALID",
        "SPAM",
        "CARRIER_BLOCKED",
        "UNKNOWN",
      ]).toContain(status);
    }
    expect(statuses.size).toBeGreaterThan(4);
  });

  it("delivers replies as two-way SNS notifications linked to the message they answer", async () => {
    const carrier = carrierWith(
      CarrierRatesSchema.parse({ deliveryFailureRate: 0, replyRate: 1, duplicateRate: 0 }),
    );
    const result = await carrier.send(request(3));
    const emissions = carrier.takeAll();
    expect(emissions.map((emission) => emission.kind)).toEqual(["receipt", "reply"]);
    const notification = json(emissions[1].data);
    expect(notification.Type).toBe("Notification");
    const message = JSON.parse(notification.Message);
    expect(message).toMatchObject({
      originationNumber: "+12125551003",
      destinationNumber: "+18445550123",
      previousPublishedMessageId: result.status === "sent" ? result.messageId : "",
    });
    expect(typeof message.inboundMessageId).toBe("string");
    expect(emissions[1].at.getTime()).toBeGreaterThan(emissions[0].at.getTime());
  });

  it("hands emissions over in time order, only those due", async () => {
    const carrier = carrierWith(CarrierRatesSchema.parse({ replyRate: 0.5 }));
    for (let n = 0; n < 100; n++) await carrier.send(request(n));
    const cutoff = new Date(start + 5_000);
    const due = carrier.takeDue(cutoff);
    expect(due.every((emission) => emission.at <= cutoff)).toBe(true);
    const rest = carrier.takeAll();
    expect(rest.every((emission) => emission.at > cutoff)).toBe(true);
    const times = [...due, ...rest].map((emission) => emission.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("makes the same decisions for the same seed and different ones for another seed", async () => {
    const outcomes = async (seed: number) => {
      const carrier = carrierWith(DEFAULT_CARRIER_RATES, seed);
      for (let n = 0; n < 300; n++) await carrier.send(request(n));
      return carrier.takeAll().map((emission) => new TextDecoder().decode(emission.data));
    };
    expect(await outcomes(1)).toEqual(await outcomes(1));
    expect(await outcomes(1)).not.toEqual(await outcomes(2));
  });

  it("counts what it did exactly as the per-message fates predict", async () => {
    const carrier = carrierWith(DEFAULT_CARRIER_RATES, 11);
    const fates = [];
    for (let n = 0; n < 2_000; n++) {
      await carrier.send(request(n));
      fates.push(decideFate(11, request(n).idempotencyKey, DEFAULT_CARRIER_RATES));
    }
    const stats = carrier.stats;
    expect(stats.delivered).toBe(fates.filter((fate) => fate.status === "DELIVERED").length);
    expect(stats.replies).toBe(fates.filter((fate) => fate.reply).length);
    expect(stats.repliesByKind.stop).toBe(fates.filter((fate) => fate.reply?.kind === "stop").length);
    expect(carrier.takeAll()).toHaveLength(2_000 + stats.replies + stats.duplicateDeliveries);
  });
});

describe("per-message fates", () => {
  it("follow the configured rates over many messages", () => {
    const rates = CarrierRatesSchema.parse({ deliveryFailureRate: 0.1, replyRate: 0.2, stopRate: 0.25 });
    const fates = Array.from({ length: 20_000 }, (_, n) => decideFate(3, `key-${n}`, rates));
    const failed = fates.filter((fate) => fate.status !== "DELIVERED").length / fates.length;
    const replied =
      fates.filter((fate) => fate.reply).length / fates.filter((fate) => fate.status === "DELIVERED").length;
    const stops =
      fates.filter((fate) => fate.reply?.kind === "stop").length / fates.filter((fate) => fate.reply).length;
    expect(failed).toBeCloseTo(0.1, 1);
    expect(replied).toBeCloseTo(0.2, 1);
    expect(stops).toBeCloseTo(0.25, 1);
  });

  it("never reply to a message that was not delivered", () => {
    const rates = CarrierRatesSchema.parse({ deliveryFailureRate: 0.5, replyRate: 1 });
    const fates = Array.from({ length: 2_000 }, (_, n) => decideFate(5, `key-${n}`, rates));
    expect(fates.filter((fate) => fate.status !== "DELIVERED" && fate.reply)).toEqual([]);
  });

  it("refuse reply shares that add up to more than all replies", () => {
    expect(() => CarrierRatesSchema.parse({ stopRate: 0.6, helpRate: 0.3, freeTextRate: 0.3 })).toThrow(
      /must not exceed 1/,
    );
  });
});
