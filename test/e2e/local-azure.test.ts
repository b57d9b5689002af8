/**
 * `npm start -- --cloud azure` end to end: the seeded 300-subscriber campaign through Azurite,
 * cosmosdb-server and the in-process Event Hub and Functions host, into the Azure stack's real
 * Functions v4 handlers, with the carrier speaking ACS in Event Grid form. The expected counts are
 * the ones the AWS run is held to (test/support/seeded-run.ts): the seed decides the same fates on
 * every cloud. Where ACS differs on purpose (no price on its reports, no phone-less receipts, no
 * link from a reply to the message it answers), the test names the field and checks it is absent.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmsEvent } from "../../core/events/schema";
import { ARCHIVE_PREFIX } from "../../core/processing/archive";
import type { RunSummary } from "../../providers/local/report/run-summary";
import { runLocal, WELCOME_CAMPAIGN_ID } from "../../providers/local/run/local-run";
import { downloadedEvents } from "../support/archive";
import {
  distinctReplies,
  expectedCounts,
  expectSeededTotals,
  RATES,
  SEED,
  SUBSCRIBERS,
} from "../support/seeded-run";

describe("npm start --cloud azure, end to end through Azurite, cosmosdb-server and the Azure handlers", () => {
  const dir = mkdtempSync(join(tmpdir(), "sms-local-azure-"));
  const out = join(dir, ".sms-local");
  const expected = expectedCounts();
  let summary: RunSummary;
  let archived: SmsEvent[];

  beforeAll(async () => {
    summary = await runLocal({
      cloud: "azure",
      subscribers: SUBSCRIBERS,
      seed: SEED,
      out,
      rates: RATES,
      stackFile: "Pulumi.azure.yaml",
      enrollmentChunkRows: 120,
    });
    archived = await downloadedEvents(join(out, "archive"));
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names the cloud and says what is an emulator and what is simulated in-process", () => {
    expect(summary.cloud).toBe("azure");
    const standIn = (deployed: string) =>
      summary.services.find((service) => service.deployed.startsWith(deployed));
    expect(standIn("Blob Storage")).toMatchObject({ local: "Azurite (npm)", simulated: false });
    expect(standIn("Cosmos DB")).toMatchObject({ local: "cosmosdb-server (npm)", simulated: false });
    expect(standIn("Event Hubs")?.simulated).toBe(true);
    expect(standIn("Functions triggers")?.simulated).toBe(true);
    expect(standIn("Event Grid")?.simulated).toBe(true);
    expect(standIn("Service Bus")?.simulated).toBe(true);
    expect(summary.stores).toMatch(/^Cosmos DB \(cosmosdb-server\)/);
    expect(summary.shards).toEqual({ local: 4, stack: 4 });
  });

  it("keeps the invariants: every published event is archived or dead-lettered, every reply is stored once, no send after a STOP", () => {
    expect(summary.invariants.map((invariant) => [invariant.name, invariant.holds])).toEqual([
      ["eventsPublished = eventsArchived + deadLettered", true],
      ["responsesStored = repliesReceived", true],
      ["sendsAfterOptOut = 0", true],
      ["archived received rows = repliesReceived + redelivered", true],
      ["every opt-out met its revocation SLA", true],
    ]);
  });

  it("counts what the seed implies, the same figures the AWS run gives, read back from the Parquet archive", () => {
    expect(summary.campaign.accepted).toBe(expected.sent);
    expect(summary.campaign.held).toBe(expected.held);
    expectSeededTotals(summary, expected);
    expect(distinctReplies(archived)).toBe(expected.replies);
    expect(expected.poisoned).toBeGreaterThan(0);
  });

  it("has the analytics function count every ACS delivery report once", () => {
    expect(summary.analytics.counts.Delivered).toBe(expected.delivered);
    expect(summary.analytics.counts.Failed).toBe(expected.failed);
    expect(summary.analytics.counts.Queued).toBe(expected.allSent);
    // The functions' batch metrics go to their own sink, not into the campaign figures.
    expect(summary.analytics.counts).not.toHaveProperty("RecordsReceived");
  });

  it("runs the Welcome Series through the enrollment and ticker handlers as the seed's replies imply", () => {
    const { journey } = expected;
    expect(summary.journey.enrollmentChunks).toBe(Math.ceil(SUBSCRIBERS / 120));
    expect(summary.journey.enrolled).toBe(journey.enrolled);
    expect(summary.journey.deadLettered).toBe(expected.invalid);
    expect(summary.journey.sentByStep).toEqual({
      welcome: journey.welcome,
      "thank-you": journey.yes,
      "follow-up": journey.followUps,
    });
    expect(summary.journey.replies).toEqual({ YES: journey.yes });
    expect(summary.journey.done).toEqual({
      completed: journey.enrolled - journey.stopped - journey.held,
      stopped: journey.stopped,
      cancelled: 0,
    });
    const journeySends = archived.filter((e) => e.kind === "queued" && e.campaignId === WELCOME_CAMPAIGN_ID);
    expect(new Set(journeySends.map((e) => e.eventId)).size).toBe(
      journey.welcome + journey.yes + journey.followUps,
    );
  });

  it("archives ACS events as ACS reports them: no price on delivery reports, every report with its number, no reply linked to a message id", () => {
    const reports = archived.filter((e) => e.kind === "delivered" || e.kind === "failed");
    expect(reports.length).toBe(expected.delivered + expected.failed);
    expect(reports.every((e) => e.provider === "azure-acs")).toBe(true);
    // ACS reports carry no price: absent on purpose, not zero by accident.
    expect(reports.filter((e) => e.priceUsd !== undefined)).toEqual([]);
    // ACS reports always name the recipient: no receipt needed the message log to find it.
    expect(summary.attribution).toEqual({
      phonelessReceipts: 0,
      archivedWithoutPhone: 0,
      unattributedInAnalytics: 0,
    });
    expect(reports.every((e) => e.status === "Delivered" || e.status === "Failed")).toBe(true);
    const replies = archived.filter((e) => e.kind === "received");
    expect(replies.every((e) => e.provider === "azure-acs" && e.inReplyTo === undefined)).toBe(true);
    // The campaign's own price estimate stays on what it queued.
    expect(archived.some((e) => e.kind === "queued" && e.priceUsd !== undefined)).toBe(true);
  });

  it("leaves the archive as the handler wrote it to the archive container, in the Hive layout", () => {
    const events = join(out, "archive", ARCHIVE_PREFIX);
    const partitions = readdirSync(events);
    expect(partitions.length).toBeGreaterThan(0);
    for (const partition of partitions) expect(partition).toMatch(/^dt=\d{4}-\d{2}-\d{2}$/);
    const files = partitions.flatMap((partition) =>
      readdirSync(join(events, partition)).map((f) => join(events, partition, f)),
    );
    expect(files).toHaveLength(summary.archiveFiles);
    expect(readFileSync(files[0]).subarray(0, 4).toString()).toBe("PAR1");
    expect(archived).toHaveLength(summary.eventsArchived);
  });
});
