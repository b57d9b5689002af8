import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSmsctl, type SmsctlRun } from "../support/smsctl";

const smsctl = runSmsctl;

const ANA = "+12125550101";
const BEN = "+12125550102";
const WELCOME_AT = "2026-06-16T18:00:00Z";
const UNSUBSCRIBED = "You are unsubscribed and will receive no more messages. Reply START to resubscribe.";

let dir: string;
let subscribers: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "smsctl-review-"));
  subscribers = join(dir, "subscribers.csv");
  writeFileSync(
    subscribers,
    [
      "subscriber_id,phone_number,time_zone,first_name",
      `ana,${ANA},America/New_York,Ana`,
      `ben,${BEN},America/New_York,Ben`,
    ].join("\n"),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (run: SmsctlRun) => JSON.parse(run.stdout.trim());
const jsonLines = (run: SmsctlRun) =>
  run.stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));

/** A fresh state directory with Ana and Ben enrolled in the Welcome Series (both welcomed). */
async function enrolled(name: string) {
  const state = join(dir, name);
  const base = ["--state", state];
  await smsctl([
    "journey",
    "enroll",
    "--journey",
    "welcome-series",
    "--subscribers",
    subscribers,
    ...base,
    "--at",
    WELCOME_AT,
  ]);
  const reply = (from: string, body: string, at: string) =>
    smsctl(["journey", "reply", "--from", from, "--body", body, ...base, "--at", at]);
  const sendsTo = (to: string) => {
    const path = join(state, "sends.jsonl");
    if (!existsSync(path)) return [];
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as { to: string; body: string })
      .filter((line) => line.to === to)
      .map((line) => line.body);
  };
  return { base, reply, sendsTo };
}

describe("smsctl journey reply and review", () => {
  it("holds a doubtful reply's number until rejected, then sends what its journey was waiting to send", async () => {
    const { base, reply, sendsTo } = await enrolled("reject");
    const doubtful = await reply(BEN, "who is this?", "2026-06-16T18:05:00Z");
    expect(json(doubtful)).toEqual({
      category: "free_text",
      advanced: 0,
      optedOut: 0,
      heldForReview: 1,
      sent: 0,
    });

    const listed = await smsctl(["review", "list", ...base]);
    expect(listed.code).toBe(0);
    const [pending] = jsonLines(listed);
    expect(jsonLines(listed)).toHaveLength(1);
    expect(pending).toMatchObject({
      phoneNumber: BEN,
      text: "who is this?",
      rule: "phrase.en.wrong-number",
      optOutConfidence: 0.7,
      status: "pending",
    });

    // Ben says YES while held: the branch is taken, but its thank-you waits for the review.
    const yes = await reply(BEN, "YES", "2026-06-16T18:06:00Z");
    expect(json(yes)).toMatchObject({ category: "yes", advanced: 1, sent: 0 });

    const rejected = await smsctl([
      "review",
      "reject",
      pending.eventId,
      ...base,
      "--at",
      "2026-06-16T18:30:00Z",
    ]);
    expect(rejected.code).toBe(0);
    expect(json(rejected)).toEqual({
      eventId: pending.eventId,
      status: "rejected",
      optedOut: false,
      confirmed: false,
      journeysEnded: 0,
    });
    expect(jsonLines(await smsctl(["review", "list", ...base]))).toEqual([]);

    await smsctl(["journey", "tick", ...base, "--at", "2026-06-16T19:10:00Z"]);
    expect(sendsTo(BEN)).toEqual([
      "Welcome to Acme, Ben! Reply YES for weekly tips.",
      "Thanks, Ben! Your first tip arrives next week.",
    ]);
  }, 30_000);

  it("opts the number out on accept: one confirmation, journeys ended, nothing more sent", async () => {
    const { base, reply, sendsTo } = await enrolled("accept");
    await reply(ANA, "not interested", "2026-06-16T18:05:00Z");
    const [pending] = jsonLines(await smsctl(["review", "list", ...base]));

    const accepted = await smsctl([
      "review",
      "accept",
      pending.eventId,
      ...base,
      "--at",
      "2026-06-16T18:30:00Z",
    ]);
    expect(accepted.code).toBe(0);
    expect(json(accepted)).toEqual({
      eventId: pending.eventId,
      status: "accepted",
      optedOut: true,
      confirmed: true,
      journeysEnded: 1,
    });
    const again = await smsctl(["review", "accept", pending.eventId, ...base]);
    expect(json(again)).toMatchObject({ status: "accepted", optedOut: false, confirmed: false });
    const late = await smsctl(["review", "reject", pending.eventId, ...base]);
    expect(late.code).toBe(1);
    expect(late.stderr.trim()).toBe(
      `smsctl: review ${pending.eventId} was already accepted; that decision stands`,
    );

    await smsctl(["journey", "tick", ...base, "--at", "2026-06-18T19:00:00Z"]);
    expect(sendsTo(ANA)).toEqual(["Welcome to Acme, Ana! Reply YES for weekly tips.", UNSUBSCRIBED]);
  }, 30_000);

  it("opts out a free-text revocation at once and leaves a first-word STOP that is not one alone", async () => {
    const { reply, sendsTo } = await enrolled("intent");
    const revocation = await reply(ANA, "please don't text me anymore", "2026-06-16T18:05:00Z");
    expect(json(revocation)).toEqual({
      category: "stop",
      advanced: 1,
      optedOut: 1,
      heldForReview: 0,
      sent: 1,
    });
    const errand = await reply(BEN, "Stop by the store later?", "2026-06-16T18:06:00Z");
    expect(json(errand)).toEqual({
      category: "free_text",
      advanced: 0,
      optedOut: 0,
      heldForReview: 0,
      sent: 0,
    });
    expect(sendsTo(ANA).at(-1)).toBe(UNSUBSCRIBED);
  }, 30_000);

  it("refuses an unknown event id with one line and exit 2", async () => {
    const { base } = await enrolled("unknown");
    const run = await smsctl(["review", "accept", "nope", ...base]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `smsctl: no review with event id "nope". Run 'smsctl review list' for the pending ones`,
    );
    expect(run.stdout).toBe("");
  }, 30_000);
});
