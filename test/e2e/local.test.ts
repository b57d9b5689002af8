/**
 * The embedded default end to end: a 300-subscriber campaign with a fixed seed through the real
 * emulators and the AWS handlers. Expected counts are derived here from the seeded inputs (the
 * audience, the carrier's per-message fates, the clock) without running the engine or the stream.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmsEvent } from "../../core/events/schema";
import { ARCHIVE_PREFIX } from "../../core/processing/archive";
import { javaAvailable } from "../../providers/local/emulators";
import type { RunSummary } from "../../providers/local/report/run-summary";
import { CAMPAIGN_ID, runLocal, WELCOME_CAMPAIGN_ID } from "../../providers/local/run/local-run";
import { downloadedEvents } from "../support/archive";
import { withoutNpmContext } from "../support/npm";
import {
  DAY_MS,
  distinctReplies,
  expectedCounts,
  expectSeededTotals,
  RATES,
  SEED,
  SUBSCRIBERS,
} from "../support/seeded-run";

const ROOT = join(import.meta.dirname, "..", "..");
describe("npm start, end to end through the emulators", () => {
  // A user's directory holding npm start's default output, so the README's lines run there as written.
  const user = mkdtempSync(join(tmpdir(), "sms-local-e2e-"));
  const out = join(user, ".sms-local");
  const expected = expectedCounts();
  let summary: RunSummary;

  beforeAll(async () => {
    summary = await runLocal({
      subscribers: SUBSCRIBERS,
      seed: SEED,
      out,
      rates: RATES,
      stackFile: "Pulumi.aws.yaml",
      // Several invocations of the enrollment function, as a larger audience would need.
      enrollmentChunkRows: 120,
    });
    // Two simulated days of journey on two shared cores: allow for a loaded machine.
  }, 300_000);

  afterAll(() => rmSync(user, { recursive: true, force: true }));

  it("keeps the invariants: every published event is archived or dead-lettered, every reply is stored once, no send after a STOP", () => {
    expect(summary.stores).toBe(
      javaAvailable() ? "DynamoDB Local (Java)" : expect.stringMatching(/^in-memory/),
    );
    expect(summary.invariants.map((invariant) => [invariant.name, invariant.holds])).toEqual([
      ["eventsPublished = eventsArchived + deadLettered", true],
      ["responsesStored = repliesReceived", true],
      ["sendsAfterOptOut = 0", true],
      ["archived received rows = repliesReceived + redelivered", true],
      ["every opt-out met its revocation SLA", true],
    ]);
    expect(summary.eventsPublished).toBe(summary.eventsArchived + summary.deadLettered);
    expect(summary.responsesStored).toBe(summary.repliesReceived);
  });

  it("applies the send policy exactly as the seeded audience implies", () => {
    expect(summary.campaign.suppressedInvalidNumber).toBe(expected.invalid);
    expect(summary.campaign.suppressedOptedOut).toBe(expected.optedOutBefore);
    expect(summary.campaign.held).toBe(expected.held);
    expect(summary.campaign.accepted).toBe(expected.sent);
    for (const value of [expected.invalid, expected.optedOutBefore, expected.held])
      expect(value).toBeGreaterThan(0);
  });

  it("counts what the carrier's seeded fates imply, read back from the Parquet archive", () => {
    expectSeededTotals(summary, expected);
    expect(expected.poisoned).toBeGreaterThan(0);
  });

  it("has the analytics function count every delivery receipt once", () => {
    expect(summary.analytics.counts.Delivered).toBe(expected.delivered);
    expect(summary.analytics.counts.Failed).toBe(expected.failed);
    expect(summary.analytics.counts.Queued).toBe(expected.allSent);
  });

  it("attributes every receipt that came without a phone number from the message log", () => {
    expect(expected.phoneless).toBeGreaterThan(0);
    expect(expected.phoneless).toBeLessThan(expected.delivered + expected.failed);
    expect(summary.attribution).toEqual({
      phonelessReceipts: expected.phoneless,
      archivedWithoutPhone: 0,
      unattributedInAnalytics: 0,
    });
    // Every delivery counted under the campaign itself, none under "unattributed".
    const delivered = summary.analytics.counts.Delivered;
    expect(delivered).toBe(expected.delivered);
  });

  it("runs the Welcome Series as the seed's replies imply: YES -> thank-you, STOP -> nothing more, silence -> follow-up", () => {
    const { journey } = expected;
    // The launch the derivation assumes: after the confirmation's replies, before 18:30 UTC.
    expect(summary.journey.launchedAt >= "2026-06-16T18:00:00.000Z").toBe(true);
    expect(summary.journey.launchedAt < "2026-06-16T18:30:00.000Z").toBe(true);
    expect(summary.journey.enrollmentChunks).toBe(Math.ceil(SUBSCRIBERS / 120));
    expect(summary.journey.enrolled).toBe(journey.enrolled);
    expect(summary.journey.deadLettered).toBe(expected.invalid);
    // thank-you sends = YES replies within a day; follow-ups = enrolled - answered - opted out - held.
    expect(summary.journey.sentByStep).toEqual({
      welcome: journey.welcome,
      "thank-you": journey.yes,
      "follow-up": journey.enrolled - journey.yes - journey.stopped - journey.optedOut - journey.held,
    });
    expect(journey.followUps).toBe(
      journey.enrolled - journey.yes - journey.stopped - journey.optedOut - journey.held,
    );
    expect(summary.journey.replies).toEqual({ YES: journey.yes });
    expect(summary.journey.suppressed).toEqual({ opted_out: journey.optedOut });
    expect(summary.journey.waiting).toBe(journey.held);
    expect(summary.journey.done).toEqual({
      completed: journey.enrolled - journey.stopped - journey.held,
      stopped: journey.stopped,
      cancelled: 0,
    });
    for (const value of [journey.yes, journey.stopped, journey.held, journey.followUps])
      expect(value).toBeGreaterThan(0);
  });

  it("archives the journey's sends and the replies that moved it: every YES within a day, no send after any STOP", async () => {
    const events = (await downloadedEvents(join(out, "archive"))).filter(
      (event, index, all) => all.findIndex((other) => other.eventId === event.eventId) === index,
    );
    const journeySends = events.filter((e) => e.kind === "queued" && e.campaignId === WELCOME_CAMPAIGN_ID);
    expect(journeySends).toHaveLength(
      expected.journey.welcome + expected.journey.yes + expected.journey.followUps,
    );
    expect(new Set(journeySends.map((e) => e.journeyId))).toEqual(new Set(["welcome-series"]));
    const sentAt = new Map(journeySends.map((e) => [e.messageId, Date.parse(e.occurredAt)]));
    const yesToJourney = events.filter(
      (e) => e.kind === "received" && sentAt.has(e.inReplyTo) && /^yes$/i.test(e.body ?? ""),
    );
    expect(yesToJourney.length).toBeGreaterThanOrEqual(expected.journey.yes);
    for (const reply of yesToJourney)
      expect(Date.parse(reply.occurredAt) - (sentAt.get(reply.inReplyTo) ?? 0)).toBeLessThan(DAY_MS);
    // Every message to a number, against that number's first STOP.
    const firstStop = new Map<string, number>();
    for (const e of events) {
      if (e.kind !== "received" || !/^stop$/i.test(e.body ?? "") || !e.phoneNumber) continue;
      firstStop.set(
        e.phoneNumber,
        Math.min(Date.parse(e.occurredAt), firstStop.get(e.phoneNumber) ?? Infinity),
      );
    }
    expect(firstStop.size).toBe(expected.stops);
    const afterStop = events.filter(
      (e) =>
        e.kind === "queued" &&
        e.phoneNumber &&
        Date.parse(e.occurredAt) > (firstStop.get(e.phoneNumber) ?? Infinity),
    );
    expect(afterStop).toEqual([]);
    expect(summary.journey.sendToReply.replies).toBeGreaterThan(0);
    expect(summary.journey.sendToReply.p90Seconds).toBeGreaterThanOrEqual(
      summary.journey.sendToReply.medianSeconds,
    );
  });

  it("derives the rates from those counts", () => {
    expect(summary.deliveryRate).toBeCloseTo((expected.delivered / expected.allSent) * 100, 1);
    expect(summary.optOutRate).toBeCloseTo((expected.stops / expected.delivered) * 100, 1);
    expect(summary.costPerMessageUsd).toBeGreaterThan(0);
    expect(summary.alarms.map((alarm) => alarm.name)).toEqual([
      "delivery-rate-low",
      "opt-out-rate-high",
      "iterator-age-high",
    ]);
  });

  it("leaves the archive as the handler wrote it, in the bucket's Hive layout", () => {
    const events = join(out, "archive", ARCHIVE_PREFIX);
    expect(readdirSync(join(out, "archive"))).toEqual([ARCHIVE_PREFIX.replace(/\/$/, "")]);
    const partitions = readdirSync(events);
    expect(partitions.length).toBeGreaterThan(0);
    for (const partition of partitions) {
      expect(partition).toMatch(/^dt=\d{4}-\d{2}-\d{2}$/);
      for (const file of readdirSync(join(events, partition))) expect(file).toMatch(/\.parquet$/);
    }
    const files = partitions.flatMap((partition) => readdirSync(join(events, partition)));
    expect(files).toHaveLength(summary.archiveFiles);
    const first = readFileSync(join(events, partitions[0], files[0]));
    expect(first.subarray(0, 4).toString()).toBe("PAR1");
  });

  it("replays that archive with the README's replay line, run as written from the user's directory", () => {
    const line = readFileSync(join(ROOT, "README.md"), "utf8").match(
      /`(npm run -s smsctl -- replay [^`]+)`/,
    )?.[1];
    expect(line).toContain("--dir .sms-local/archive");
    // `npm --prefix` runs the repository's script from the user's directory, as a user outside it would.
    const [npm, ...args] = (line ?? "").split(" ");
    const result = spawnSync(npm, ["--prefix", ROOT, ...args], {
      cwd: user,
      encoding: "utf8",
      env: withoutNpmContext(),
    });
    expect(result.stderr).toMatch(/^smsctl replay: \{"objects":\d+,"events":\d+\}\n$/);
    expect(result.status).toBe(0);
    const replayed = result.stdout
      .trim()
      .split("\n")
      .map((json) => JSON.parse(json));
    expect(replayed).toHaveLength(summary.eventsArchived);
    expect(distinctReplies(replayed)).toBe(summary.repliesReceived);
  });

  it("keeps the campaign's replies when replaying --campaign, linked through the message log", () => {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "cli/smsctl.ts", "replay", "--from", "2026-06-16", "--to", "2026-06-17"].concat([
        "--dir",
        join(out, "archive"),
        "--campaign",
        CAMPAIGN_ID,
      ]),
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(result.status).toBe(0);
    const replayed: SmsEvent[] = result.stdout
      .trim()
      .split("\n")
      .map((json) => JSON.parse(json));
    expect(distinctReplies(replayed)).toBe(expected.confirmationReplies);
    expect(replayed.filter((event) => event.kind === "queued")).toHaveLength(expected.sent);
  });

  it("gives the same figures for the same seed without DynamoDB Local (as on a machine without Java), on in-memory stores", async () => {
    // One rerun proves both: same seed, same figures, whichever engine serves the tables.
    const memory = await runLocal({
      subscribers: SUBSCRIBERS,
      seed: SEED,
      out: join(out, "memory"),
      rates: RATES,
      stackFile: "Pulumi.aws.yaml",
      enrollmentChunkRows: 120,
      dynamodbLocal: false,
    });
    expect(memory.stores).toMatch(/^in-memory stores/);
    expect(memory.invariants.every((invariant) => invariant.holds)).toBe(true);
    expect([memory.sent, memory.delivered, memory.replies, memory.optOuts, memory.responsesStored]).toEqual([
      expected.allSent,
      expected.delivered,
      expected.replies,
      expected.stops,
      expected.replies,
    ]);
    const figures = (s: RunSummary) => [
      s.sent,
      s.delivered,
      s.failed,
      s.replies,
      s.optOuts,
      s.costUsd,
      s.eventsPublished,
      s.journey.sentByStep,
      s.journey.done,
      s.journey.sendToReply,
      s.journey.launchedAt,
    ];
    expect(figures(memory)).toEqual(figures(summary));
    expect(existsSync(join(out, "memory", "archive"))).toBe(true);
  }, 180_000);
});
