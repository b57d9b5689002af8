import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSmsctl, type SmsctlRun } from "../support/smsctl";

const HOUR = 3_600_000;
const T = Date.parse("2026-06-15T16:00:00Z"); // noon in New York
const at = (hours: number) => new Date(T + hours * HOUR).toISOString();

const smsctl = runSmsctl;

let dir: string;
let state: string;
let subscribers: string;
const ANA = "+12125550101";
const BEN = "+12125550102";
const CAL = "+12125550103";

/** Every message the local sender accepted, in order, from a state dir's sends log. */
function sendsIn(stateDir: string): { to: string; body: string }[] {
  const path = join(stateDir, "sends.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

const sends = () => sendsIn(state);

const json = (run: SmsctlRun) => JSON.parse(run.stdout.trim());

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "smsctl-journey-"));
  state = join(dir, "state");
  subscribers = join(dir, "subscribers.csv");
  writeFileSync(
    subscribers,
    [
      "subscriber_id,phone_number,time_zone,first_name",
      `ana,${ANA},America/New_York,Ana`,
      `ben,${BEN},America/New_York,Ben`,
      `cal,${CAL},America/New_York,Cal`,
    ].join("\n"),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("smsctl journey", () => {
  it("runs the Welcome Series from the shell: welcome, a YES branch, then follow-ups once", async () => {
    const enrolled = await smsctl([
      "journey",
      "enroll",
      "--journey",
      "welcome-series",
      "--subscribers",
      subscribers,
      "--state",
      state,
      "--at",
      at(0),
    ]);
    expect(enrolled.stderr).toBe("");
    expect(json(enrolled)).toMatchObject({ enrolled: 3, alreadyEnrolled: 0, sent: 3 });
    expect(sends().map((s) => [s.to, s.body])).toEqual([
      [ANA, "Welcome to Acme, Ana! Reply YES for weekly tips."],
      [BEN, "Welcome to Acme, Ben! Reply YES for weekly tips."],
      [CAL, "Welcome to Acme, Cal! Reply YES for weekly tips."],
    ]);

    const early = await smsctl(["journey", "tick", "--state", state, "--at", at(1), "--provider", "local"]);
    expect(json(early)).toEqual({ advanced: 0, sent: 0 });
    expect(sends()).toHaveLength(3);

    const yes = await smsctl([
      "journey",
      "reply",
      "--from",
      BEN,
      "--body",
      "yes!",
      "--state",
      state,
      "--at",
      at(2),
    ]);
    expect(json(yes)).toEqual({ category: "yes", advanced: 1, optedOut: 0, heldForReview: 0, sent: 1 });
    expect(sends().at(-1)).toMatchObject({ to: BEN, body: "Thanks, Ben! Your first tip arrives next week." });

    const dayLater = await smsctl([
      "journey",
      "tick",
      "--state",
      state,
      "--at",
      at(25),
      "--provider",
      "local",
    ]);
    expect(json(dayLater)).toEqual({ advanced: 2, sent: 2 });
    const again = await smsctl(["journey", "tick", "--state", state, "--at", at(25), "--provider", "local"]);
    expect(json(again)).toEqual({ advanced: 0, sent: 0 });

    const all = sends();
    expect(all.slice(4).map((s) => [s.to, s.body])).toEqual([
      [ANA, "How are you finding Acme, Ana?"],
      [CAL, "How are you finding Acme, Cal?"],
    ]);
    expect(all.filter((s) => s.to === BEN).map((s) => s.body)).not.toContain(
      "How are you finding Acme, Ben?",
    );
    const pairs = all.map((s) => `${s.to} ${s.body}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  }, 20_000);

  it("stops a journey on STOP: the follow-up never goes out, and the STOP is confirmed once (issue 13.1)", async () => {
    const stopState = join(dir, "stop-state");
    const base = ["--state", stopState];
    await smsctl([
      "journey",
      "enroll",
      "--journey",
      "welcome-series",
      "--subscribers",
      subscribers,
      ...base,
      "--at",
      "2026-06-16T18:00:00Z",
    ]);
    const stop = await smsctl([
      "journey",
      "reply",
      "--from",
      BEN,
      "--body",
      "STOP",
      ...base,
      "--at",
      "2026-06-16T18:10:00Z",
    ]);
    expect(stop.code).toBe(0);
    expect(json(stop)).toEqual({ category: "stop", advanced: 1, optedOut: 1, heldForReview: 0, sent: 1 });
    const tick = await smsctl(["journey", "tick", ...base, "--at", "2026-06-17T19:00:00Z"]);
    expect(json(tick)).toEqual({ advanced: 2, sent: 2 });
    const toBen = sendsIn(stopState)
      .filter((line) => line.to === BEN)
      .map((line) => line.body);
    expect(toBen).toEqual([
      "Welcome to Acme, Ben! Reply YES for weekly tips.",
      "You are unsubscribed and will receive no more messages. Reply START to resubscribe.",
    ]);
  }, 20_000);

  it("sends nothing to a number that sent STOP while its welcome was held for quiet hours", async () => {
    const heldState = join(dir, "held-state");
    const base = ["--state", heldState];
    // 23:00 in New York: every welcome is held until 08:00 (12:00Z).
    const enrolled = await smsctl([
      "journey",
      "enroll",
      "--journey",
      "welcome-series",
      "--subscribers",
      subscribers,
      ...base,
      "--at",
      "2026-06-17T03:00:00Z",
    ]);
    expect(json(enrolled)).toMatchObject({ enrolled: 3, sent: 0 });
    await smsctl([
      "journey",
      "reply",
      "--from",
      ANA,
      "--body",
      "stop",
      ...base,
      "--at",
      "2026-06-17T03:05:00Z",
    ]);
    const morning = await smsctl(["journey", "tick", ...base, "--at", "2026-06-17T12:30:00Z"]);
    expect(json(morning)).toEqual({ advanced: 2, sent: 2 });
    const bodiesToAna = sendsIn(heldState)
      .filter((line) => line.to === ANA)
      .map((line) => line.body);
    expect(bodiesToAna).toEqual([
      "You are unsubscribed and will receive no more messages. Reply START to resubscribe.",
    ]);
  }, 20_000);

  it("says on stderr when a reply matches no enrolled subscriber, and exits non-zero", async () => {
    const run = await smsctl([
      "journey",
      "reply",
      "--from",
      "+12125550199",
      "--body",
      "YES",
      "--state",
      state,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      "smsctl: +12125550199 matched no enrolled subscriber, so no journey moved",
    );
    expect(json(run)).toMatchObject({ advanced: 0, sent: 0 });
  }, 20_000);

  it("refuses an unknown journey, a bad --at and a non-local provider with one line and a non-zero exit", async () => {
    const [unknown, badAt, provider] = await Promise.all([
      smsctl(["journey", "enroll", "--journey", "nope", "--subscribers", subscribers, "--state", state]),
      smsctl(["journey", "tick", "--state", state, "--at", "tomorrow"]),
      smsctl(["journey", "tick", "--state", state, "--provider", "twilio"]),
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown journey "nope"');
    expect(badAt.code).not.toBe(0);
    expect(badAt.stderr).toContain("--at must be an ISO-8601 date-time");
    expect(provider.code).toBe(2);
    expect(provider.stderr.trim()).toBe(
      "smsctl: only --provider local is supported by journey commands for now",
    );
  }, 20_000);

  it("reports an unreadable subscribers file with one line and a non-zero exit", async () => {
    const missing = await smsctl([
      "journey",
      "enroll",
      "--journey",
      "welcome-series",
      "--subscribers",
      join(dir, "missing.csv"),
      "--state",
      state,
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("cannot read subscribers file");
    expect(missing.stdout).toBe("");
  }, 20_000);
});
