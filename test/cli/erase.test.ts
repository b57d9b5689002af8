import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmsEvent } from "../../core/events/schema";
import { buildArchiveObjects } from "../../core/processing/archive";
import type { ErasureReceipt } from "../../core/processing/erasure";
import { phoneHash } from "../../core/redact";
import { DirectoryArchive } from "../../providers/local/runtime/directory-archive";
import { runSmsctl, type SmsctlRun } from "../support/smsctl";

const ANA = "+12125550101";
const BEN = "+12125550102";
const LOCAL_SALT = "sms-local-state-phone-hash-salt";
const T = "2026-06-15T16:00:00Z";
const REVOCATIONS = "revocations.jsonl";

let dir: string;
let state: string;
let archive: string;
let audience: string;

const json = (run: SmsctlRun) => JSON.parse(run.stdout.trim());

/** Every line of every file of the state directory. */
const stateText = () =>
  readdirSync(state)
    .map((name) => readFileSync(join(state, name), "utf8"))
    .join("\n");

const archiveEvent = (phone: string, kind: SmsEvent["kind"], n: number): SmsEvent => ({
  eventId: `evt-${phone.slice(-4)}-${n}`,
  schemaVersion: 1,
  kind,
  occurredAt: `2026-06-15T16:0${n}:00.000Z`,
  provider: "local",
  phoneNumber: phone,
  ...(kind === "received" ? { body: "YES" } : { body: "Welcome!", messageId: `m-${phone.slice(-4)}` }),
});

async function query(sql: string): Promise<SmsctlRun> {
  return runSmsctl(["query", sql, "--dir", archive, "--format", "csv"]);
}

/** Enrolls the audience file's subscribers in the welcome series at `at`. */
const enroll = (at: string): Promise<SmsctlRun> =>
  runSmsctl([
    "journey",
    "enroll",
    "--journey",
    "welcome-series",
    "--subscribers",
    audience,
    "--state",
    state,
    "--at",
    at,
  ]);

/** A text from `from` to the journey at `at`. */
const reply = (from: string, body: string, at: string): Promise<SmsctlRun> =>
  runSmsctl(["journey", "reply", "--from", from, "--body", body, "--state", state, "--at", at]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "smsctl-erase-"));
  state = join(dir, "state");
  archive = join(dir, "archive");
  audience = join(dir, "audience.csv");
  writeFileSync(
    audience,
    [
      "subscriber_id,phone_number,time_zone,first_name",
      `ana,${ANA},America/New_York,Ana`,
      `ben,${BEN},America/New_York,Ben`,
    ].join("\n"),
  );
  expect(json(await enroll(T))).toMatchObject({ enrolled: 2 });
  await reply(ANA, "STOP", "2026-06-15T16:05:00Z");
  await reply(BEN, "YES", "2026-06-15T16:06:00Z");
  // The archive npm start would have written: one file shared by both, one of Ana's alone.
  const store = new DirectoryArchive(archive);
  const shared = [
    archiveEvent(ANA, "sent", 1),
    archiveEvent(BEN, "sent", 2),
    archiveEvent(ANA, "received", 3),
  ];
  for (const object of [
    ...buildArchiveObjects(shared, "batch-shared"),
    ...buildArchiveObjects([archiveEvent(ANA, "received", 4)], "batch-ana"),
  ]) {
    await store.put(object.key, object.body);
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("smsctl erase (local state and archive)", () => {
  let run: SmsctlRun;
  let receipt: ErasureReceipt;

  beforeAll(async () => {
    expect(stateText()).toContain(ANA);
    // Ana's STOP started her revocation SLA clock (and Ben's YES none).
    expect(readFileSync(join(state, REVOCATIONS), "utf8")).toContain(ANA);
    run = await runSmsctl(["erase", "--phone", ANA, "--state", state, "--archive", archive]);
    receipt = json(run);
  }, 60_000);

  it("prints a receipt of what it removed and where, with the number masked", () => {
    expect(run.code).toBe(0);
    const removed = Object.fromEntries(receipt.stores.map((s) => [s.store, s.removed]));
    expect(removed).toEqual({
      // The welcome and the STOP confirmation.
      sends: 2,
      journeys: 1,
      "opt-out-reviews": 0,
      "opt-outs": 1,
      "consent-log": 1,
      "consent-heads": 1,
      "revocation-clocks": 1,
      subscribers: 1,
      archive: 3,
    });
    expect(receipt.stores.find((s) => s.store === "archive")?.keys).toEqual([
      "events/dt=2026-06-15/batch-ana.parquet",
      "events/dt=2026-06-15/batch-shared.parquet",
    ]);
    expect(receipt).toMatchObject({
      phone: "***0101",
      phoneHash: phoneHash(ANA, LOCAL_SALT),
      archiveFilesScanned: 2,
    });
    expect(run.stdout + run.stderr).not.toContain("2125550101");
    expect(run.stderr).toMatch(
      /^erase: \*\*\*0101 erased from local state .*: 11 items and rows removed; tombstone [0-9a-f]{16}, receipt sha256 [0-9a-f]{64}\n$/,
    );
  });

  it("leaves no line of the state directory with the number, and only its hash in the tombstone", () => {
    const text = stateText();
    expect(text).not.toContain("2125550101");
    expect(text).toContain(BEN);
    expect(readFileSync(join(state, REVOCATIONS), "utf8")).not.toContain("2125550101");
    expect(readFileSync(join(state, "erasures.jsonl"), "utf8")).toContain(phoneHash(ANA, LOCAL_SALT));
  });

  it("leaves an archive DuckDB still reads, with Ben's rows and none of Ana's", async () => {
    const rows = await query(
      "SELECT phoneNumber, count(*) AS n FROM events_raw GROUP BY phoneNumber ORDER BY 1",
    );
    expect(rows.code).toBe(0);
    expect(rows.stdout.trim().split(/\r?\n/)).toEqual(["phoneNumber,n", `${BEN},1`]);
  });

  it("keeps the number out: a re-import enrolls only others, a later STOP stores nothing, consent shows no entry", async () => {
    const again = await enroll("2026-06-16T16:00:00Z");
    expect(json(again)).toMatchObject({ enrolled: 0, alreadyEnrolled: 1, sent: 0 });
    await reply(ANA, "STOP", "2026-06-16T16:05:00Z");
    expect(stateText()).not.toContain("2125550101");
    const consent = await runSmsctl(["consent", "--phone", ANA, "--state", state]);
    expect(consent.stdout).toBe("");
    expect(consent.stderr).toBe("consent: chain verified, 0 entries\n");
  }, 60_000);

  it("erasing again removes nothing", async () => {
    const rerun = await runSmsctl(["erase", "--phone", ANA, "--state", state, "--archive", archive]);
    expect(rerun.code).toBe(0);
    const again = json(rerun);
    expect(again.removed, JSON.stringify(again.stores)).toBe(0);
    expect(again.consent).toBeUndefined();
  }, 60_000);

  it("refuses a number that is not E.164, or both a stack and local state, in one line with exit 2", async () => {
    const bad = await runSmsctl(["erase", "--phone", "2125550101", "--state", state]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const both = await runSmsctl(["erase", "--phone", ANA, "--stack", "dev", "--state", state]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  }, 60_000);
});
