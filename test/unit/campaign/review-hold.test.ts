import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { journeyOfCampaign, newCampaignRecord } from "../../../core/campaign/campaign";
import { REVIEW_RECHECK_MS } from "../../../core/campaign/dispatch";
import { enrollCampaignChunk } from "../../../core/campaign/enrollment";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { createJourneyEngine } from "../../../core/campaign/journey-engine";
import { type CampaignDefinition, runCampaign } from "../../../core/campaign/run";
import { runCampaignTick } from "../../../core/campaign/ticker";
import type { Subscriber } from "../../../core/ports";
import { acceptReview, rejectReview } from "../../../core/processing/opt-out-review";
import { welcomeSeries } from "../../../journeys/welcome-series";
import type { MemoryPorts } from "../../../providers/local/runtime/memory";
import { newYorkSubscriber, testCampaign } from "./deps";

const offer: CampaignDefinition = {
  campaignId: "spring-sale",
  template: "Spring sale: 20% off today.",
  messageType: "promotional",
};

const members = (subscribers: Subscriber[]) =>
  async function* () {
    let line = 1;
    for (const subscriber of subscribers)
      yield { kind: "member" as const, line: ++line, subscriber, country: "US" };
  };

/** A reply from the subscriber waiting for review: the number is held until a person decides. */
async function holdForReview(
  ports: MemoryPorts,
  subscriber: Subscriber,
  eventId = `reply-${subscriber.subscriberId}`,
) {
  await ports.optOutReviews.put({
    eventId,
    phoneNumber: subscriber.phoneNumber,
    text: "who is this?",
    receivedAt: ports.clock.now().toISOString(),
    optOutConfidence: 0.7,
    rule: "phrase.en.wrong-number",
    subscriberId: subscriber.subscriberId,
  });
  return eventId;
}

const confirmationSettings = { stopConfirmationText: "You are unsubscribed." };

describe("a campaign send to a number held for review", () => {
  it("is held, not sent and not settled, and goes out on a re-run once the review is rejected", async () => {
    const { ports, deps } = testCampaign();
    const withQueue = { ...deps, reviews: ports.optOutReviews };
    const [held, free] = [newYorkSubscriber(1), newYorkSubscriber(2)];
    const reviewId = await holdForReview(ports, held);

    const first = await runCampaign(offer, members([held, free]), withQueue);
    expect(first).toMatchObject({ sent: 1, heldForReview: 1 });
    expect(ports.sender.to(held.phoneNumber)).toEqual([]);
    expect(await ports.ledger.get("campaign:spring-sale/sub-1/send")).toBeUndefined();

    await rejectReview(reviewId, ports);
    const rerun = await runCampaign(offer, members([held, free]), withQueue);
    expect(rerun).toMatchObject({ sent: 1, alreadySent: 1, heldForReview: 0 });
    expect(ports.sender.to(held.phoneNumber)).toHaveLength(1);
  });

  it("is suppressed for good once the review is accepted", async () => {
    const { ports, deps } = testCampaign();
    const withQueue = { ...deps, reviews: ports.optOutReviews };
    const held = newYorkSubscriber(1);
    const reviewId = await holdForReview(ports, held);
    await acceptReview(reviewId, ports, confirmationSettings);

    const report = await runCampaign(offer, members([held]), withQueue);
    expect(report).toMatchObject({ sent: 0, heldForReview: 0, suppressed: { optedOut: 1 } });
    expect(ports.sender.to(held.phoneNumber).map((r) => r.messageType)).toEqual(["transactional"]);
  });

  it("is held when the review lands while the send waits for its pacing turn", async () => {
    const { ports, deps } = testCampaign();
    const held = newYorkSubscriber(1);
    const latePacer = {
      acquire: deps.pacer.acquire,
      async pace<T>(parts: number, start: () => Promise<T>): Promise<T> {
        await holdForReview(ports, held);
        return deps.pacer.pace(parts, start);
      },
    };
    const report = await runCampaign(offer, members([held]), {
      ...deps,
      pacer: latePacer,
      reviews: ports.optOutReviews,
    });
    expect(report).toMatchObject({ sent: 0, heldForReview: 1 });
    expect(ports.sender.requests).toEqual([]);
  });
});

describe("the journey ticker and a number held for review", () => {
  async function launched(count: number) {
    const { ports, deps } = testCampaign();
    const record = newCampaignRecord("spring-welcome", welcomeSeries, ports.clock.now());
    await ports.campaigns.put(record, 0);
    const engine = createJourneyEngine([journeyOfCampaign(record)], {
      ...deps,
      journeys: ports.journeys,
      subscribers: ports.subscribers,
    });
    const csv = [
      "subscriber_id,phone_number,time_zone",
      ...Array.from({ length: count }, (_, i) => {
        const s = newYorkSubscriber(i);
        return `${s.subscriberId},${s.phoneNumber},America/New_York`;
      }),
    ].join("\n");
    await enrollCampaignChunk(
      readAudienceCsv(Readable.from([csv])),
      { campaignId: "spring-welcome" },
      { engine, ...ports, now: () => ports.clock.now() },
    );
    const tick = () => runCampaignTick([], ports, { mps: 10, intervalSeconds: 60 }, "local");
    return { ports, tick };
  }

  it("sends nothing to it, counts it held, and sends once the review is rejected", async () => {
    const { ports, tick } = await launched(3);
    const held = newYorkSubscriber(1);
    const reviewId = await holdForReview(ports, held);

    const report = await tick();
    expect(ports.sender.delivered.map((r) => r.to).sort()).toEqual(
      [newYorkSubscriber(0).phoneNumber, newYorkSubscriber(2).phoneNumber].sort(),
    );
    expect(report.campaigns["spring-welcome"]).toMatchObject({ sent: 2, "held:pending_review": 1 });
    expect(await ports.journeys.get("spring-welcome", held.subscriberId)).toMatchObject({
      status: "waiting",
      wakeAt: new Date(ports.clock.now().getTime() + REVIEW_RECHECK_MS).toISOString(),
    });

    await rejectReview(reviewId, ports);
    ports.clock.advance(REVIEW_RECHECK_MS);
    await tick();
    expect(ports.sender.to(held.phoneNumber)).toHaveLength(1);
  });

  it("ends its journeys and sends only the confirmation once the review is accepted", async () => {
    const { ports, tick } = await launched(2);
    const held = newYorkSubscriber(1);
    const reviewId = await holdForReview(ports, held);
    await tick();
    const journeyRouting = {
      journeys: ports.journeys,
      subscribers: ports.subscribers,
      definitions: new JourneyCatalog([], ports.campaigns),
    };
    await acceptReview(reviewId, { ...ports, journeyRouting }, confirmationSettings);
    ports.clock.advance(REVIEW_RECHECK_MS);
    await tick();
    expect(ports.sender.to(held.phoneNumber).map((r) => r.body)).toEqual(["You are unsubscribed."]);
    expect(await ports.journeys.get("spring-welcome", held.subscriberId)).toMatchObject({ status: "done" });
  });
});
