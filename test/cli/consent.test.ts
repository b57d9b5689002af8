import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsentEntry } from "../../core/ports";
import { consentHashOf } from "../../core/processing/consent";
import { runSmsctl, type SmsctlRun } from "../support/smsctl";

const ANA = "+12125550101";
const BEN = "+12125550102";

const smsctl = runSmsctl;

const entriesOf = (run: SmsctlRun): ConsentEntry[] =>
  run.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));

let dir: string;
let state: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "smsctl-consent-"));
  state = join(dir, "state");
  const reply = (from: string, body: string, at: string) =>
    smsctl(["journey", "reply", "--from", from, "--body", body, "--state", state, "--at", at]);
  // Unknown numbers: the replies exit 1 (no journey moved) unless they opt out, but the consent is kept either way.
  await reply(ANA, "STOP", "2026-06-15T16:00:00Z");
  await reply(BEN, "quit", "2026-06-15T16:01:00Z");
  await reply(ANA, "START", "2026-06-15T17:00:00Z");
  await reply(ANA, "Stop please", "2026-06-15T18:00:00Z");
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("smsctl consent", () => {
  it("exports a number's opt-outs and opt-ins from `journey reply` as JSON lines and verifies the chain", async () => {
    const run = await smsctl(["consent", "--phone", ANA, "--state", state]);
    expect(run.code).toBe(0);
    const entries = entriesOf(run);
    expect(entries.map((e) => [e.sequence, e.action, e.source, e.wording])).toEqual([
      [1, "opt_out", "reply_keyword", "STOP"],
      [2, "opt_in", "reply_keyword", "START"],
      [3, "opt_out", "reply_keyword", "STOP"],
    ]);
    // --at starts a clock that runs on, so the time is that moment plus the milliseconds the command took.
    expect(entries[1]?.at).toMatch(/^2026-06-15T17:00:0\d\.\d{3}Z$/);
    expect(entries.every((e) => e.phoneNumber === ANA && e.eventId.startsWith("cli-reply-"))).toBe(true);
    expect(run.stderr).toBe("consent: chain verified, 3 entries\n");
  });

  it("keeps each number's chain apart", async () => {
    const run = await smsctl(["consent", "--phone", BEN, "--state", state]);
    expect(run.code).toBe(0);
    expect(entriesOf(run)).toMatchObject([{ sequence: 1, action: "opt_out", wording: "QUIT" }]);
  });

  it("exits 1 and names the altered entry when the file was tampered with, without printing the number", async () => {
    const tampered = join(dir, "tampered");
    const lines = readFileSync(join(state, "consent.jsonl"), "utf8").split("\n");
    // Turn Ana's second entry (her START) into a STOP, as someone denying the opt-in would.
    let anas = 0;
    const edited = lines.map((line) => {
      if (line === "" || JSON.parse(line).phoneNumber !== ANA || ++anas !== 2) return line;
      return JSON.stringify({ ...JSON.parse(line), action: "opt_out", wording: "STOP" });
    });
    await smsctl(["journey", "reply", "--from", ANA, "--body", "hi", "--state", tampered]);
    writeFileSync(join(tampered, "consent.jsonl"), edited.join("\n"));

    const run = await smsctl(["consent", "--phone", ANA, "--state", tampered]);
    expect(run.code).toBe(1);
    expect(entriesOf(run)).toHaveLength(3);
    expect(run.stderr).toMatch(
      /^consent: chain BROKEN at entry 2 \(sequence 2, event .*\): its hash does not match/,
    );
    expect(run.stderr).not.toContain(ANA);
    expect(run.stderr).not.toContain("5550101");
  });

  /** A copy of the state whose consent file went through `edit` (Ana's lines only), as someone covering an opt-out would. */
  const withAnasLines = (name: string, edit: (anas: ConsentEntry[]) => ConsentEntry[]) => {
    const copy = join(dir, name);
    cpSync(state, copy, { recursive: true });
    const all = readFileSync(join(state, "consent.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as ConsentEntry);
    const others = all.filter((e) => e.phoneNumber !== ANA);
    const lines = [...others, ...edit(all.filter((e) => e.phoneNumber === ANA))].map((e) =>
      JSON.stringify(e),
    );
    writeFileSync(join(copy, "consent.jsonl"), `${lines.join("\n")}\n`);
    return copy;
  };

  it("exits 1 when a number's last entry was removed: what remains still chains, but the anchored head says more", async () => {
    // Ana's last STOP removed: the chain 1-2 alone would verify and show her opted in.
    const truncated = withAnasLines("truncated", (anas) => anas.slice(0, -1));
    const run = await smsctl(["consent", "--phone", ANA, "--state", truncated]);
    expect(run.code).toBe(1);
    expect(entriesOf(run)).toHaveLength(2);
    expect(run.stderr).toMatch(
      /^consent: chain BROKEN at entry 3 \(sequence 3, missing\): the chain ends at sequence 2 but its anchored head is sequence 3: entries were removed\n$/,
    );
    expect(run.stderr).not.toContain("5550101");
  });

  it("exits 1 when the last entry was rewritten with a hash that matches its new content", async () => {
    const rewritten = withAnasLines("rewritten", (anas) =>
      anas.map((e, i) => {
        if (i !== anas.length - 1) return e;
        const changed = { ...e, action: "opt_in" as const, wording: "START" };
        return { ...changed, hash: consentHashOf(changed) };
      }),
    );
    const run = await smsctl(["consent", "--phone", ANA, "--state", rewritten]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^consent: chain BROKEN at entry 3 \(sequence 3, event .*\): its hash is not the anchored head's/,
    );
  });

  it("keeps the opt-out of a review accepted with `smsctl review accept`", async () => {
    const CAL = "+12125550103";
    const held = join(dir, "held");
    await smsctl(["journey", "reply", "--from", CAL, "--body", "who is this?", "--state", held]);
    const [pending] = entriesOf(await smsctl(["review", "list", "--state", held])) as unknown as {
      eventId: string;
    }[];
    expect((await smsctl(["consent", "--phone", CAL, "--state", held])).stdout).toBe("");
    expect((await smsctl(["review", "accept", String(pending?.eventId), "--state", held])).code).toBe(0);
    const run = await smsctl(["consent", "--phone", CAL, "--state", held]);
    expect(run.code).toBe(0);
    expect(entriesOf(run)).toMatchObject([
      { sequence: 1, action: "opt_out", source: "review_accept", eventId: pending?.eventId },
    ]);
  });

  it("verifies an empty chain for a number that never opted in or out", async () => {
    const run = await smsctl(["consent", "--phone", "+12125550199", "--state", state]);
    expect(run).toMatchObject({ code: 0, stdout: "", stderr: "consent: chain verified, 0 entries\n" });
  });

  it("exits 2 with one line for a number that is not E.164 or a state directory that does not exist", async () => {
    const bad = await smsctl(["consent", "--phone", "2125550101", "--state", state]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^smsctl: --phone must be a valid E\.164 number like \+12125550101.*\n$/);
    const missing = await smsctl(["consent", "--phone", ANA, "--state", join(dir, "nowhere")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain("no such directory");
    const absent = await smsctl(["consent"]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain("--phone");
  });
});
