import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { actOnCampaign, campaignStatus, launchCampaign } from "../../cli/commands/campaign-stack";
import { readAudienceCsv } from "../../core/campaign/audience";
import { journeyOfCampaign } from "../../core/campaign/campaign";
import { DEFAULT_CIRCUIT_BREAKER } from "../../core/campaign/circuit-breaker";
import { enrollCampaignChunk } from "../../core/campaign/enrollment";
import { createJourneyEngine } from "../../core/campaign/journey-engine";
import { runCampaignTick } from "../../core/campaign/ticker";
import type { CampaignStack } from "../../core/ports";
import { runAnalytics } from "../../core/processing/analytics";
import {
  MemoryCampaignStore,
  MemoryMessageLog,
  MemoryMetricsSink,
  MemoryNotifier,
} from "../../providers/local/runtime/memory";
import { receiptBatch } from "../contracts/circuit-breaker.contract";
import { testCampaign } from "../unit/campaign/deps";

const dir = mkdtempSync(join(tmpdir(), "smsctl-stack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date("2026-06-15T16:00:00.000Z");
const CSV = [
  "subscriber_id,phone_number,time_zone,first_name",
  "s1,+12125550101,America/New_York,Ana",
  "s2,+12125550102,America/New_York,Bo",
  "s3,not-a-number,America/New_York,Cy",
].join("\n");

/** A stack in memory: the campaign store, and the uploads the enrollment function would see. */
function memoryStack() {
  const uploads: { key: string; csv: string }[] = [];
  const stack: CampaignStack = {
    describe: () => "memory stack",
    campaigns: new MemoryCampaignStore(),
    uploadAudience: async (key, csv) => {
      uploads.push({ key, csv: new TextDecoder().decode(csv) });
    },
  };
  return { stack, uploads };
}

const subscribers = () => {
  const path = join(dir, "subs.csv");
  writeFileSync(path, CSV);
  return path;
};

describe("smsctl campaign launch, status, pause, resume, cancel", () => {
  it("writes the campaign record, uploads the audience under the campaign prefix, and returns", async () => {
    const { stack, uploads } = memoryStack();
    const result = await launchCampaign(
      stack,
      { subscribers: subscribers(), journey: "welcome-series", messageType: "transactional" },
      NOW,
    );
    expect(result).toMatchObject({
      journey: "welcome-series",
      stack: "memory stack",
      members: 2,
      badRows: 1,
      relaunched: false,
    });
    expect(result.campaignId).toMatch(/^welcome-series-20260615-[0-9a-f]{8}$/);
    expect(uploads).toEqual([{ key: `campaigns/${result.campaignId}/audience.csv`, csv: CSV }]);
    expect(await stack.campaigns.get(result.campaignId)).toMatchObject({
      status: "enrolling",
      journeyName: "welcome-series",
    });
  });

  it("re-running the same launch finds its campaign and uploads the audience again (enrollment is idempotent)", async () => {
    const { stack, uploads } = memoryStack();
    const options = { subscribers: subscribers(), journey: "welcome-series", messageType: "transactional" };
    const first = await launchCampaign(stack, options, NOW);
    const again = await launchCampaign(stack, options, NOW);
    expect(again).toMatchObject({ campaignId: first.campaignId, relaunched: true });
    expect(uploads).toHaveLength(2);
  });

  it("shows enrollment, sends and waiting journeys, and pause, resume and cancel move the status", async () => {
    const { stack } = memoryStack();
    const { campaignId } = await launchCampaign(
      stack,
      {
        subscribers: subscribers(),
        message: "Hi {{first_name}}, reply YES",
        messageType: "transactional",
        campaignId: "confirm-june",
      },
      NOW,
    );
    // What the stack's enrollment function and ticker do after the upload.
    const { ports, deps } = testCampaign();
    const campaigns = stack.campaigns;
    const record = (await campaigns.get(campaignId))!;
    const engine = createJourneyEngine([journeyOfCampaign(record)], {
      ...deps,
      journeys: ports.journeys,
      subscribers: ports.subscribers,
    });
    await enrollCampaignChunk(
      readAudienceCsv(Readable.from([CSV])),
      { campaignId },
      { engine, ...ports, campaigns, now: () => NOW },
    );
    expect(await campaignStatus(stack, campaignId)).toMatchObject({
      status: "running",
      enrollment: "complete",
      enrolled: 2,
      deadLettered: 1,
      sent: 0,
      waiting: 2,
    });

    expect(await actOnCampaign(stack, campaignId, "pause", NOW)).toEqual({
      campaignId,
      status: "paused",
      takesEffect: "at the next tick",
    });
    await runCampaignTick([], { ...ports, campaigns }, { mps: 10, intervalSeconds: 60 }, "local");
    expect((await campaignStatus(stack, campaignId)).sent).toBe(0);
    await actOnCampaign(stack, campaignId, "resume", NOW);
    ports.clock.advance(60_000);
    await runCampaignTick([], { ...ports, campaigns }, { mps: 10, intervalSeconds: 60 }, "local");
    expect(await campaignStatus(stack, campaignId)).toMatchObject({
      status: "running",
      journey: "message",
      sent: 2,
      waiting: 0,
    });
    expect(ports.sender.delivered.map((m) => m.body)).toEqual(["Hi Ana, reply YES", "Hi Bo, reply YES"]);
    expect((await actOnCampaign(stack, campaignId, "cancel", NOW)).status).toBe("cancelled");
  });

  it("shows a campaign the circuit breaker paused with why, sends nothing for it, and resume lifts the pause", async () => {
    const { stack } = memoryStack();
    const { campaignId } = await launchCampaign(
      stack,
      {
        subscribers: subscribers(),
        message: "Hi {{first_name}}, reply YES",
        messageType: "transactional",
        campaignId: "spring-spike",
      },
      NOW,
    );
    const { ports, deps } = testCampaign();
    const campaigns = stack.campaigns;
    const record = (await campaigns.get(campaignId))!;
    const engine = createJourneyEngine([journeyOfCampaign(record)], {
      ...deps,
      journeys: ports.journeys,
      subscribers: ports.subscribers,
    });
    await enrollCampaignChunk(
      readAudienceCsv(Readable.from([CSV])),
      { campaignId },
      { engine, ...ports, campaigns, now: () => NOW },
    );
    // The analytics function sees an earlier wave of this campaign blocked by carriers.
    const notifier = new MemoryNotifier();
    await runAnalytics(
      receiptBatch(campaignId, 40),
      { metrics: new MemoryMetricsSink(), messages: new MemoryMessageLog(), campaigns, notifier },
      { circuitBreaker: DEFAULT_CIRCUIT_BREAKER },
    );
    const paused = await campaignStatus(stack, campaignId);
    expect(paused).toMatchObject({
      status: "paused",
      pausedBy: "circuit_breaker",
      breakerTrip: { reason: "carrier_block_rate" },
    });
    expect(paused.breakerTrip?.figures[0]).toMatchObject({ count: 40, of: 100, ratePercent: 40 });
    expect(notifier.published.map((n) => n.subject)).toEqual([
      "Campaign spring-spike paused by the circuit breaker: carrier-block rate",
    ]);
    await runCampaignTick([], { ...ports, campaigns }, { mps: 10, intervalSeconds: 60 }, "local");
    expect((await campaignStatus(stack, campaignId)).sent).toBe(0);

    await actOnCampaign(stack, campaignId, "resume", NOW);
    const resumed = await campaignStatus(stack, campaignId);
    expect(resumed.status).toBe("running");
    expect(resumed.pausedBy).toBeUndefined();
    ports.clock.advance(60_000);
    await runCampaignTick([], { ...ports, campaigns }, { mps: 10, intervalSeconds: 60 }, "local");
    expect((await campaignStatus(stack, campaignId)).sent).toBe(2);
  });
});
