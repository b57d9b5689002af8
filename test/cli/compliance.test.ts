import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ComplianceLine } from "../../cli/commands/compliance";
import { runSmsctl, type SmsctlRun } from "../support/smsctl";

const ANA = "+12125550101";
const BEN = "+12125550102";
const CAL = "+12125550103";

const linesOf = (run: SmsctlRun): ComplianceLine[] =>
  run.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));

let dir: string;
let state: string;

const reply = (from: string, body: string, at: string, stateDir = state) =>
  runSmsctl(["journey", "reply", "--from", from, "--body", body, "--state", stateDir, "--at", at]);
const report = (at: string, ...more: string[]) =>
  runSmsctl(["compliance", "report", "--state", state, "--at", at, ...more]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "smsctl-compliance-"));
  state = join(dir, "state");
  await reply(ANA, "STOP", "2026-06-15T16:00:00Z");
  await reply(BEN, "quit", "2026-06-15T16:01:00Z");
  // A marketing send reaches Ben after his opt-out, as a store that ignored it would send.
  appendFileSync(
    join(state, "sends.jsonl"),
    `${JSON.stringify({ at: "2026-06-15T16:02:00.000Z", to: BEN, body: "Sale!", key: "spring-sale:ben:offer" })}\n`,
  );
  await reply(CAL, "unsubscribe", "2026-06-15T16:04:00Z");
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("smsctl compliance report", () => {
  it("judges the opt-outs past their window, lists each with its verdict, and exits 1 for the breach", async () => {
    const run = await report("2026-06-15T16:06:30Z");
    expect(run.code).toBe(1);
    const lines = linesOf(run);
    expect(lines.map((line) => [line.phone, line.status])).toEqual([
      ["***0101", "met"],
      ["***0102", "breached"],
      ["***0103", "pending"],
    ]);
    const [ana, ben, cal] = lines;
    expect(ana).toMatchObject({
      source: "reply_keyword",
      optedOutAt: expect.stringMatching(/^2026-06-15T16:00:00\.\d{3}Z$/),
      confirmedAt: expect.stringMatching(/^2026-06-15T16:00:0\d\.\d{3}Z$/),
      checks: { confirmation_sent: "ok", suppressed: "ok", journeys_ended: "ok", no_send_after: "ok" },
    });
    expect(ben?.checks.no_send_after).toBe("failed");
    expect(ben?.breach).toMatch(
      /^no_send_after: message local-\S+ was sent at 2026-06-15T16:02:00.000Z, after the opt-out$/,
    );
    expect(cal).toMatchObject({ status: "pending", dueAt: expect.stringMatching(/^2026-06-15T16:09:00/) });
    expect(cal?.checks.suppressed).toBe("pending");
    expect(run.stderr).toBe("compliance: 3 opt-out(s): 1 met, 1 breached, 1 pending\n");
    for (const phone of [ANA, BEN, CAL]) {
      expect(run.stdout).not.toContain(phone);
      expect(run.stdout).not.toContain(phone.slice(2));
    }
  });

  it("keeps the verdicts it recorded: a later report judges the rest and still exits 1", async () => {
    const run = await report("2026-06-15T16:30:00Z", "--format", "table");
    expect(run.code).toBe(1);
    const rows = run.stdout.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^phone\s+optedOutAt\s+confirmedAt\s+status\s+breach$/);
    expect(
      rows.slice(1).map((row) =>
        row
          .split(/\s+/)
          .slice(0, 1)
          .concat(row.split(/\s+/)[3] ?? ""),
      ),
    ).toEqual([
      ["***0101", "met"],
      ["***0102", "breached"],
      ["***0103", "met"],
    ]);
    expect(run.stderr).toBe("compliance: 3 opt-out(s): 2 met, 1 breached, 0 pending\n");
  });

  it("exits 0 when every opt-out met its SLA, and shows a salted hash when the salt is set", async () => {
    const clean = join(dir, "clean");
    await reply(ANA, "STOP", "2026-06-15T16:00:00Z", clean);
    const run = await runSmsctl(["compliance", "report", "--state", clean, "--at", "2026-06-15T17:00:00Z"]);
    expect(run.code).toBe(0);
    expect(linesOf(run)).toMatchObject([{ phone: "***0101", status: "met" }]);
    expect(linesOf(run)[0]?.phoneHash).toBeUndefined();
    process.env["SMS_PHONE_HASH_SALT"] = "a-salt-of-sixteen-or-more";
    try {
      const salted = await runSmsctl(["compliance", "report", "--state", clean]);
      expect(linesOf(salted)[0]?.phoneHash).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      delete process.env["SMS_PHONE_HASH_SALT"];
    }
  });

  it("rejects a bad window or format with one line and exit 2", async () => {
    const window = await report("2026-06-15T16:30:00Z", "--window-minutes", "0");
    expect(window.code).toBe(2);
    expect(window.stderr.trim().split("\n")).toHaveLength(1);
    expect(window.stderr).toContain("--window-minutes must be a whole number of minutes from 1 to 1440");
    const format = await report("2026-06-15T16:30:00Z", "--format", "csv");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format must be jsonl or table");
    const missing = await runSmsctl(["compliance", "report", "--state", join(dir, "nowhere")]);
    expect(missing.code).toBe(2);
  });

  it("says in --help that a breach makes it exit 1", async () => {
    const run = await runSmsctl(["compliance", "report", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout.replace(/\s+/g, " ")).toContain("Exit status 1 when any opt-out breached its SLA");
  });
});
