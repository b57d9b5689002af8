/**
 * `npm start -- --cloud gcp` end to end: the seeded 300-subscriber campaign through Google's
 * Pub/Sub and Firestore emulators, the Functions Framework serving the GCP functions' real entry
 * points, signed Twilio webhooks and Pub/Sub push delivery. Expected counts come from the seed
 * (te../support/seeded-run.ts), as for AWS.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gcpEmulatorsUnavailable } from "../../providers/gcp/emulators";
import type { RunSummary } from "../../providers/local/report/run-summary";
import { runLocal, WELCOME_CAMPAIGN_ID } from "../../providers/local/run/local-run";
import { downloadedEvents } from "../support/archive";
import { expectedCounts, RATES, SEED, SUBSCRIBERS } from "../support/seeded-run";

const unavailable = gcpEmulatorsUnavailable();
const describeWithEmulators = unavailable ? describe.skip : describe;
if (unavailable) {
  describe("npm start --cloud gcp", () => {
    it.skip(`skipped: ${unavailable}`, () => {});
  });
}

describeWithEmulators("npm start --cloud gcp, end to end through the GCP emulators", () => {
  const out = mkdtempSync(join(tmpdir(), "sms-local-gcp-"));
  const expected = expectedCounts();
  let summary: RunSummary;

  beforeAll(async () => {
    summary = await runLocal({
      cloud: "gcp",
      subscribers: SUBSCRIBERS,
      seed: SEED,
      out,
      rates: RATES,
      stackFile: "Pulumi.gcp.yaml",
      enrollmentChunkRows: 120,
    });
  }, 600_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("keeps every invariant of the run", () => {
    expect(summary.invariants.map((invariant) => [invariant.name, invariant.holds])).toEqual([
      ["eventsPublished = eventsArchived + deadLettered", true],
      ["responsesStored = repliesReceived", true],
      ["sendsAfterOptOut = 0", true],
      ["archived received rows = repliesReceived + redelivered", true],
      ["every opt-out met its revocation SLA", true],
    ]);
  });

  it("names the cloud, its emulators and what is simulated in-process", () => {
    expect(summary.cloud).toBe("gcp");
    expect(summary.stores).toBe("Firestore emulator (Java)");
    const simulated = summary.services.filter((s) => s.simulated).map((s) => s.deployed);
    expect(simulated).toEqual([
      "Cloud Storage",
      "Pub/Sub push subscriptions",
      "Twilio Programmable Messaging",
    ]);
    expect(summary.services.filter((s) => !s.simulated).map((s) => s.deployed)).toEqual([
      "Pub/Sub",
      "Firestore",
      "Cloud Functions gen2",
    ]);
  });

  it("counts what the seed implies, read back from the Parquet archive", () => {
    expect(summary.sent).toBe(expected.allSent);
    expect(summary.delivered).toBe(expected.delivered);
    expect(summary.failed).toBe(expected.failed);
    expect(summary.replies).toBe(expected.replies);
    expect(summary.optOuts).toBe(expected.stops);
    expect(summary.eventsPublished).toBe(expected.published);
    expect(summary.deadLettered).toBe(expected.poisoned);
    expect(summary.responsesStored).toBe(expected.replies);
    expect(summary.analytics.counts.Delivered).toBe(expected.delivered);
    expect(summary.analytics.counts.Failed).toBe(expected.failed);
    expect(expected.poisoned).toBeGreaterThan(0);
  });

  it("has each consumer dead-letter every garbled record itself, with nothing abandoned after retries", () => {
    for (const consumer of ["analytics", "responses", "archive"]) {
      expect(summary.consumers[`sms-events-stream-${consumer}`]).toMatchObject({
        recordsRead: expected.published,
        deadLetteredRecords: 0,
      });
    }
  });

  it("runs the Welcome Series through the enrollment and ticker functions as the seed implies", () => {
    const { journey } = expected;
    expect(summary.journey.enrollmentChunks).toBe(Math.ceil(SUBSCRIBERS / 120));
    expect(summary.journey.enrolled).toBe(journey.enrolled);
    expect(summary.journey.deadLettered).toBe(expected.invalid);
    expect(summary.journey.sentByStep).toEqual({
      welcome: journey.welcome,
      "thank-you": journey.yes,
      "follow-up": journey.followUps,
    });
    expect(summary.journey.done.stopped).toBe(journey.stopped);
  });

  it("archives Twilio receipts with the recipient's number, on the run's clock, without price or carrier fee", async () => {
    const events = await downloadedEvents(join(out, "archive"));
    const receipts = events.filter((event) => event.kind === "delivered" || event.kind === "failed");
    expect(receipts.length).toBe(expected.delivered + expected.failed);
    for (const receipt of receipts) {
      expect(receipt.provider).toBe("twilio");
      expect(receipt.phoneNumber).toMatch(/^\+\d+$/);
      // Twilio's status callbacks report neither: absent on purpose, not zero by accident.
      expect(receipt.priceUsd).toBeUndefined();
      expect(receipt.carrierFeeUsd).toBeUndefined();
      // Dated when the webhook was received on the simulated clock, not the wall clock.
      expect(receipt.occurredAt.startsWith("2026-06-1")).toBe(true);
    }
    const welcomeSends = events.filter((e) => e.kind === "queued" && e.campaignId === WELCOME_CAMPAIGN_ID);
    expect(new Set(welcomeSends.map((e) => e.provider))).toEqual(new Set(["twilio"]));
  });
});
