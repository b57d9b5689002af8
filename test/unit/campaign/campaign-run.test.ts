import { describe, expect, it } from "vitest";
import type { AudienceEntry } from "../../../core/campaign/audience";
import { type CampaignDefinition, runCampaign } from "../../../core/campaign/run";
import { decodeRecord } from "../../../core/events/decode";
import { SmsEventSchema } from "../../../core/events/schema";
import type { Subscriber } from "../../../core/ports";
import { newYorkSubscriber, testCampaign } from "./deps";

const members = (subscribers: Subscriber[]): (() => AsyncIterable<AudienceEntry>) =>
  async function* () {
    let line = 1;
    for (const subscriber of subscribers) yield { kind: "member", line: ++line, subscriber, country: "US" };
  };

const confirmation: CampaignDefinition = {
  campaignId: "spring-sale",
  template: "Hi {{first_name}}, your spot is confirmed.",
  messageType: "transactional",
};

class InjectedCrash extends Error {}

describe("a one-time confirmation campaign", () => {
  it("sends every member once, personalized, and publishes a canonical queued event per send", async () => {
    const { ports, deps } = testCampaign();
    const audience = [
      newYorkSubscriber(1, { first_name: "Ana" }),
      newYorkSubscriber(2, { first_name: "Bo" }),
    ];
    const report = await runCampaign(confirmation, members(audience), deps);

    expect(report).toMatchObject({ audience: 2, eligibleNow: 2, sent: 2, alreadySent: 0, failed: 0 });
    expect(ports.sender.delivered.map((r) => [r.to, r.body, r.idempotencyKey])).toEqual([
      ["+12125551001", "Hi Ana, your spot is confirmed.", "campaign:spring-sale/sub-1/send"],
      ["+12125551002", "Hi Bo, your spot is confirmed.", "campaign:spring-sale/sub-2/send"],
    ]);
    const events = ports.publisher.records.map((record) => {
      const decoded = decodeRecord(record.data);
      expect(decoded.ok).toBe(true);
      return decoded.ok ? decoded.events[0] : undefined;
    });
    expect(events).toHaveLength(2);
    for (const event of events) SmsEventSchema.parse(event);
    expect(events[0]).toMatchObject({
      kind: "queued",
      provider: "local",
      campaignId: "spring-sale",
      subscriberId: "sub-1",
      messageId: "msg-campaign:spring-sale/sub-1/send",
      parts: 1,
      messageType: "transactional",
      countryCode: "US",
    });
    expect(events[0]?.priceUsd).toBeGreaterThan(0);
    expect(ports.publisher.records[0].partitionKey).toBe("sub-1");
  });

  it("gives a send event the same id when the same send is published again", async () => {
    const first = testCampaign();
    const second = testCampaign();
    await runCampaign(confirmation, members([newYorkSubscriber(1)]), first.deps);
    await runCampaign(confirmation, members([newYorkSubscriber(1)]), second.deps);
    const idOf = (data: Uint8Array) => JSON.parse(Buffer.from(data).toString()).eventId;
    expect(idOf(first.ports.publisher.records[0].data)).toBe(idOf(second.ports.publisher.records[0].data));
  });

  it.each([
    ["while sending (the provider call never returned)", "send"],
    ["after the provider accepted, before the ledger was settled", "settle"],
  ])("resumes after a crash %s: every subscriber gets exactly one message", async (_when, crashPoint) => {
    const { ports, deps } = testCampaign();
    const audience = Array.from({ length: 40 }, (_, i) => newYorkSubscriber(i + 1));
    const crashAt = 17;
    let calls = 0;
    const realSend = ports.sender.send.bind(ports.sender);
    const realSettle = ports.ledger.settle.bind(ports.ledger);
    deps.sender = {
      async send(request) {
        calls++;
        if (crashPoint === "send" && calls === crashAt) throw new InjectedCrash("process killed");
        return realSend(request);
      },
    };
    deps.ledger = {
      claim: ports.ledger.claim.bind(ports.ledger),
      get: ports.ledger.get.bind(ports.ledger),
      async settle(key, state) {
        if (crashPoint === "settle" && calls === crashAt) throw new InjectedCrash("process killed");
        return realSettle(key, state);
      },
    };

    await expect(runCampaign(confirmation, members(audience), deps)).rejects.toThrow(InjectedCrash);
    expect(ports.sender.delivered.length).toBeLessThan(audience.length);

    const resumed = await runCampaign(confirmation, members(audience), deps);
    for (const subscriber of audience) expect(ports.sender.to(subscriber.phoneNumber)).toHaveLength(1);
    expect(ports.sender.delivered).toHaveLength(audience.length);
    expect(resumed.sent + resumed.alreadySent).toBe(audience.length);
    expect(resumed.alreadySent).toBe(crashAt - 1);
    for (const subscriber of audience) {
      expect(await ports.ledger.get(`campaign:spring-sale/${subscriber.subscriberId}/send`)).toMatchObject({
        state: "sent",
      });
    }
  });

  it("with the skip policy, settles an in-doubt send as skipped instead of sending again", async () => {
    const { ports, deps } = testCampaign();
    await ports.ledger.claim("campaign:spring-sale/sub-1/send", "2026-06-15T15:00:00.000Z");
    const report = await runCampaign(confirmation, members([newYorkSubscriber(1), newYorkSubscriber(2)]), {
      ...deps,
      inDoubt: "skip",
    });
    expect(ports.sender.delivered.map((r) => r.subscriberId)).toEqual(["sub-2"]);
    expect(report.failed).toBe(1);
    expect(await ports.ledger.get("campaign:spring-sale/sub-1/send")).toMatchObject({
      state: "skipped",
      reason: "in_doubt",
    });
  });

  it("paces a concurrent campaign so no 1-second window holds more sends than the MPS", async () => {
    const { ports, deps } = testCampaign({ mps: 5 });
    const sentAt: number[] = [];
    const real = ports.sender;
    deps.sender = {
      send(request) {
        sentAt.push(ports.clock.now().getTime());
        return real.send(request);
      },
    };
    const audience = Array.from({ length: 40 }, (_, i) => newYorkSubscriber(i + 1));
    await runCampaign(confirmation, members(audience), deps, { concurrency: 4 });
    expect(sentAt).toHaveLength(40);
    sentAt.sort((a, b) => a - b);
    for (let i = 5; i < sentAt.length; i++) expect(sentAt[i] - sentAt[i - 5]).toBeGreaterThanOrEqual(1000);
    expect(sentAt[39] - sentAt[0]).toBeLessThan(8000);
  });

  it("stops sending when the budget is reached and counts the rest as suppressed by budget", async () => {
    // A US message costs 0.00881 (base 0.00581 + carrier fee 0.003): a 0.03 budget pays for three.
    const { ports, deps } = testCampaign({ budgetUsd: 0.03 });
    const audience = Array.from({ length: 5 }, (_, i) => newYorkSubscriber(i + 1));
    const report = await runCampaign(confirmation, members(audience), deps);
    expect(report.sent).toBe(3);
    expect(report.suppressed.budget).toBe(2);
    expect(ports.sender.delivered).toHaveLength(3);
    expect(report.costUsd).toBeCloseTo(3 * 0.00881, 6);
  });

  it("holds a member outside quiet hours and sends at the next window when asked to wait", async () => {
    // 03:00 in New York.
    const { ports, deps } = testCampaign({ now: "2026-06-15T07:00:00.000Z" });
    const report = await runCampaign(confirmation, members([newYorkSubscriber(1)]), deps, {
      waitForQuietHours: true,
    });
    expect(report.sent).toBe(1);
    expect(ports.sender.delivered).toHaveLength(1);
    expect(ports.clock.now().toISOString()).toBe("2026-06-15T12:00:00.000Z");
  });

  it("holds without sending when not asked to wait, and says when the window opens", async () => {
    const { ports, deps } = testCampaign({ now: "2026-06-15T07:00:00.000Z" });
    const report = await runCampaign(confirmation, members([newYorkSubscriber(1)]), deps);
    expect(report).toMatchObject({ sent: 0, held: { quietHours: 1, unknownTimeZone: 0 } });
    expect(report.nextWindowAt).toBe("2026-06-15T12:00:00.000Z");
    expect(ports.sender.requests).toHaveLength(0);
  });

  it("applies a frequency cap across campaigns sharing the cap", async () => {
    const { ports, deps } = testCampaign({ frequencyCap: { limit: 1, windowMs: 3_600_000 } });
    await runCampaign(confirmation, members([newYorkSubscriber(1)]), deps);
    const second = await runCampaign(
      { ...confirmation, campaignId: "reminder" },
      members([newYorkSubscriber(1)]),
      deps,
    );
    expect(second.sent).toBe(0);
    expect(ports.sender.delivered).toHaveLength(1);
    ports.clock.advance(3_600_001);
    const later = await runCampaign(
      { ...confirmation, campaignId: "reminder" },
      members([newYorkSubscriber(1)]),
      deps,
    );
    expect(later.sent).toBe(1);
  });

  it("maps provider verdicts: opted-out numbers join the opt-out store, invalid numbers are suppressed", async () => {
    const { ports, deps } = testCampaign();
    ports.sender.respondWith((request) =>
      request.subscriberId === "sub-1"
        ? { status: "opted_out", reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT" }
        : { status: "invalid_number", reason: "landline" },
    );
    const report = await runCampaign(
      confirmation,
      members([newYorkSubscriber(1), newYorkSubscriber(2)]),
      deps,
    );
    expect(report.suppressed).toMatchObject({ optedOut: 1, invalidNumber: 1 });
    expect(await ports.optOuts.isOptedOut("+12125551001")).toBe(true);
    // A re-run does not try them again.
    await runCampaign(confirmation, members([newYorkSubscriber(1), newYorkSubscriber(2)]), deps);
    expect(ports.sender.requests).toHaveLength(2);
  });

  it("leaves a send that kept failing retryably pending so a re-run sends it", async () => {
    const { ports, deps } = testCampaign();
    ports.sender.respondWith(() => ({ status: "failed", reason: "503", retryable: true }));
    const first = await runCampaign(confirmation, members([newYorkSubscriber(1)]), deps);
    expect(first.failed).toBe(1);
    ports.sender.respondWith((r) => ({ status: "sent", messageId: `m-${r.idempotencyKey}` }));
    const second = await runCampaign(confirmation, members([newYorkSubscriber(1)]), deps);
    expect(second.sent).toBe(1);
  });
});
