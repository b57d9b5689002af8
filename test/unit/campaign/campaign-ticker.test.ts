import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAudienceCsv } from "../../../core/campaign/audience";
import {
  campaignIdOfKey,
  controlCampaign,
  journeyOfCampaign,
  messageJourney,
  newCampaignRecord,
} from "../../../core/campaign/campaign";
import { campaignStatusView } from "../../../core/campaign/campaign-counters";
import { enrollCampaignChunk } from "../../../core/campaign/enrollment";
import { journey } from "../../../core/campaign/journey";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { createJourneyEngine } from "../../../core/campaign/journey-engine";
import { routeReply } from "../../../core/campaign/reply-routing";
import { runCampaignTick, type TickerSettings } from "../../../core/campaign/ticker";
import { decodeRecord } from "../../../core/events/decode";
import { welcomeSeries } from "../../../journeys/welcome-series";
import { newYorkSubscriber, testCampaign } from "./deps";

const SETTINGS: TickerSettings = { mps: 1, intervalSeconds: 3 };
const DAY_MS = 86_400_000;

const csvOf = (count: number) =>
  [
    "subscriber_id,phone_number,time_zone,first_name",
    ...Array.from({ length: count }, (_, i) => {
      const s = newYorkSubscriber(i);
      return `${s.subscriberId},${s.phoneNumber},America/New_York,Sub${i}`;
    }),
  ].join("\n");

async function launched(source = welcomeSeries, count = 5, campaignId = "spring-welcome") {
  const { ports, deps } = testCampaign();
  const record = newCampaignRecord(campaignId, source, ports.clock.now());
  await ports.campaigns.put(record, 0);
  const engine = createJourneyEngine([journeyOfCampaign(record)], {
    ...deps,
    journeys: ports.journeys,
    subscribers: ports.subscribers,
  });
  const enrollment = { engine, ...ports, now: () => ports.clock.now() };
  const outcome = await enrollCampaignChunk(
    readAudienceCsv(Readable.from([csvOf(count)])),
    { campaignId },
    enrollment,
  );
  const tick = () => runCampaignTick([], ports, SETTINGS, "local");
  const status = async () =>
    campaignStatusView((await ports.campaigns.get(campaignId))!, await ports.campaigns.counts(campaignId));
  return { ports, outcome, tick, status, campaignId };
}

describe("a campaign launched into a stack", () => {
  it("enrolls without sending; the ticker sends, at most one interval's allowance per tick", async () => {
    const { ports, outcome, tick, status } = await launched();
    expect(outcome).toEqual({ kind: "enrolled", enrolled: 5, alreadyEnrolled: 0, deadLettered: 0 });
    expect(ports.sender.delivered).toHaveLength(0);
    expect((await status()).status).toBe("running");

    const first = await tick();
    expect(first.allowanceParts).toBe(3);
    expect(ports.sender.delivered).toHaveLength(3);
    expect(first.campaigns["spring-welcome"]).toMatchObject({ sent: 3, "sent:welcome": 3 });
    await tick();
    expect(ports.sender.delivered).toHaveLength(5);
    const view = await status();
    expect(view).toMatchObject({ enrolled: 5, sent: 5, sentByStep: { welcome: 5 }, waiting: 5 });
  });

  it("keys its sends by the campaign and names the journey on its events", async () => {
    const { ports, tick } = await launched(welcomeSeries, 1);
    await tick();
    const decoded = decodeRecord(ports.publisher.records[0].data);
    const event = decoded.ok ? decoded.events[0] : decoded;
    expect(event).toMatchObject({
      kind: "queued",
      campaignId: "spring-welcome",
      journeyId: "welcome-series",
    });
  });

  it("counts replies per branch and STOPs, and finishes journeys on the timeout path", async () => {
    const { ports, tick, status } = await launched(welcomeSeries, 3);
    await tick();
    const catalog = new JourneyCatalog([], ports.campaigns);
    const reply = (n: number, body: string) =>
      routeReply(
        {
          eventId: `r-${n}`,
          schemaVersion: 1,
          kind: "received",
          occurredAt: ports.clock.now().toISOString(),
          provider: "local",
          phoneNumber: newYorkSubscriber(n).phoneNumber,
          body,
        },
        {
          journeys: ports.journeys,
          subscribers: ports.subscribers,
          definitions: catalog,
          campaigns: ports.campaigns,
          now: () => ports.clock.now(),
        },
      );
    expect(await reply(0, "yes")).toHaveLength(1);
    expect(await reply(1, "STOP")).toHaveLength(1);
    await tick();
    ports.clock.advance(DAY_MS + 1000);
    await tick();
    const view = await status();
    expect(view.replies).toEqual({ YES: 1 });
    expect(view.sentByStep).toEqual({ welcome: 3, "thank-you": 1, "follow-up": 1 });
    expect(view.done).toEqual({ completed: 2, stopped: 1, cancelled: 0 });
    expect(view.waiting).toBe(0);
  });

  it("sends nothing while paused, and picks up within one tick of resuming", async () => {
    const { ports, tick, status, campaignId } = await launched(welcomeSeries, 2);
    await controlCampaign(ports.campaigns, campaignId, "pause", ports.clock.now());
    await tick();
    expect(ports.sender.delivered).toHaveLength(0);
    expect((await status()).status).toBe("paused");
    await controlCampaign(ports.campaigns, campaignId, "resume", ports.clock.now());
    ports.clock.advance(SETTINGS.intervalSeconds * 1000);
    await tick();
    expect(ports.sender.delivered).toHaveLength(2);
    expect((await status()).status).toBe("running");
  });

  it("ends every journey on cancel, and a cancelled campaign cannot resume", async () => {
    const { ports, tick, status, campaignId } = await launched(welcomeSeries, 4);
    await controlCampaign(ports.campaigns, campaignId, "cancel", ports.clock.now());
    await tick();
    expect(ports.sender.delivered).toHaveLength(0);
    expect(await ports.journeys.bySubscriber(newYorkSubscriber(0).subscriberId)).toEqual([]);
    expect((await status()).done.cancelled).toBe(4);
    await expect(controlCampaign(ports.campaigns, campaignId, "resume", ports.clock.now())).rejects.toThrow(
      /cancelled campaign cannot resume/,
    );
  });

  it("runs a one-time confirmation as a journey of one send step", async () => {
    const { ports, tick, status } = await launched(messageJourney("Reply YES to confirm"), 2, "confirm-dec");
    await tick();
    expect(ports.sender.delivered.map((m) => m.body)).toEqual([
      "Reply YES to confirm",
      "Reply YES to confirm",
    ]);
    expect(await status()).toMatchObject({ journey: "message", sent: 2, waiting: 0, done: { completed: 2 } });
  });

  it("keeps a deferred enrollment's first wait: nothing is skipped", async () => {
    const waitsFirst = journey("later").wait("1h").send("hello", "Hello");
    const { ports, tick } = await launched(waitsFirst, 1, "later-hello");
    await tick();
    expect(ports.sender.delivered).toHaveLength(0);
    ports.clock.advance(3_600_000);
    await tick();
    expect(ports.sender.delivered).toHaveLength(1);
  });

  it("re-enrolls nobody when the same audience is uploaded again", async () => {
    const { ports, campaignId } = await launched(welcomeSeries, 3);
    const record = (await ports.campaigns.get(campaignId))!;
    const engine = createJourneyEngine([journeyOfCampaign(record)], {
      ...testCampaign().deps,
      ...ports,
      provider: "local",
    });
    const again = await enrollCampaignChunk(
      readAudienceCsv(Readable.from([csvOf(3)])),
      { campaignId },
      { engine, ...ports, now: () => ports.clock.now() },
    );
    expect(again).toEqual({ kind: "enrolled", enrolled: 0, alreadyEnrolled: 3, deadLettered: 0 });
  });

  it("reads the campaign from an uploaded object's key, and nothing else", () => {
    expect(campaignIdOfKey("campaigns/spring-welcome/audience.csv")).toBe("spring-welcome");
    expect(campaignIdOfKey("campaigns/spring-welcome/other.csv")).toBeUndefined();
    expect(campaignIdOfKey("events/dt=2026-12-03/x.parquet")).toBeUndefined();
    expect(() => newCampaignRecord("Bad Id", welcomeSeries, new Date())).toThrow(/lower-case letters/);
  });
});
