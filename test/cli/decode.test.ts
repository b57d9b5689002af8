import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { SmsEventSchema } from "../../core/events";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = join(ROOT, "test/fixtures/native");
const scratch = mkdtempSync(join(tmpdir(), "smsctl-decode-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs smsctl as a user would, in its own process. */
function smsctl(args: string[], stdin?: string) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "cli/smsctl.ts", ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function eventsIn(stdout: string) {
  return stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => SmsEventSchema.parse(JSON.parse(line)));
}

function expectOneCleanLine(stderr: string) {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("smsctl decode", () => {
  it("prints one canonical event per line for every record of a Kinesis envelope and exits 0", () => {
    const run = smsctl(["decode", join(FIXTURES, "envelope-lambda-kinesis.json")]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(eventsIn(run.stdout).map((event) => event.provider)).toEqual(["aws-eum", "aws-pinpoint", "local"]);
  });

  it("decodes an Event Grid array, one event per element", () => {
    const run = smsctl(["decode", join(FIXTURES, "acs-sms-received.eventgrid.json")]);
    expect(run.status).toBe(0);
    expect(eventsIn(run.stdout)).toMatchObject([
      { provider: "azure-acs", kind: "received", phoneNumber: "+15555555555" },
    ]);
  });

  it("reads standard input and dates a Twilio webhook with --received-at", () => {
    const run = smsctl(
      ["decode", "--received-at", "2026-11-24T10:00:00Z", "-"],
      readFileSync(join(FIXTURES, "twilio-inbound.txt"), "utf8"),
    );
    expect(run.status).toBe(0);
    expect(eventsIn(run.stdout)).toMatchObject([
      { provider: "twilio", kind: "received", occurredAt: "2026-11-24T10:00:00.000Z", body: "Ahoy! STOP" },
    ]);
  });

  it("dates a Twilio webhook with the current time without --received-at, says so on stderr, exits 0", () => {
    const before = Date.now();
    const run = smsctl(["decode", join(FIXTURES, "twilio-inbound.txt")]);
    expect(run.status).toBe(0);
    const [event] = eventsIn(run.stdout);
    expect(event).toMatchObject({ provider: "twilio", kind: "received", body: "Ahoy! STOP" });
    const dated = Date.parse(event.occurredAt);
    expect(dated).toBeGreaterThanOrEqual(before - 1);
    expect(dated).toBeLessThanOrEqual(Date.now());
    expectOneCleanLine(run.stderr);
    expect(run.stderr).toContain(`line 1 carried no time; dated with the current time ${event.occurredAt}`);
  });

  it("prints a phone-less EventBridge receipt without a phone number and exits 0", () => {
    const run = smsctl(["decode", join(FIXTURES, "eum-eventbridge-delivered.json")]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [event] = eventsIn(run.stdout);
    expect(event).toMatchObject({ kind: "delivered", messageId: "9539975a-e71f-45f3-b496-8d98dc098a77" });
    expect(event).not.toHaveProperty("phoneNumber");
  });

  it("prints the good records of a mixed JSON Lines file, names each bad one on stderr and exits 1", () => {
    const file = join(scratch, "mixed.jsonl");
    const good = JSON.stringify(JSON.parse(readFileSync(join(FIXTURES, "eum-text-successful.json"), "utf8")));
    const queuedWithoutRecipient = JSON.stringify({
      ...JSON.parse(readFileSync(join(FIXTURES, "eum-text-queued.derived.json"), "utf8")),
      destinationPhoneNumber: undefined,
    });
    writeFileSync(file, [good, '{"eventType": "TEXT_SUCCESSFUL",', queuedWithoutRecipient, ""].join("\n"));
    const run = smsctl(["decode", file]);
    expect(run.status).toBe(1);
    expect(eventsIn(run.stdout)).toMatchObject([{ provider: "aws-eum", kind: "sent" }]);
    const problems = run.stderr.trim().split("\n");
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^smsctl decode: line 2: invalid_json: /);
    expect(problems[1]).toMatch(/^smsctl decode: line 3: invalid_payload: .*phone number is missing/);
  });

  it("names a bad record of an envelope by its record id", () => {
    const envelope = JSON.parse(readFileSync(join(FIXTURES, "envelope-lambda-kinesis.json"), "utf8"));
    envelope.Records[1].kinesis.data = Buffer.from("not an event").toString("base64");
    const file = join(scratch, "kinesis-with-poison.json");
    writeFileSync(file, JSON.stringify(envelope));
    const run = smsctl(["decode", file]);
    expect(run.status).toBe(1);
    expect(eventsIn(run.stdout)).toHaveLength(2);
    expect(run.stderr).toMatch(
      /^smsctl decode: record shardId-000000000006:49590338271490256608559692540925702759324208523137515618: invalid_json: /,
    );
  });

  it("says in one line that a missing file is missing and exits non-zero", () => {
    const run = smsctl(["decode", join(scratch, "no-such-file.json")]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expectOneCleanLine(run.stderr);
    expect(run.stderr).toMatch(/cannot read .*no-such-file\.json: no such file\. Pass an existing file/);
  });

  it("says in one line that an option is unknown and how to get help", () => {
    const run = smsctl(["decode", "--frobnicate"]);
    expect(run.status).toBe(2);
    expectOneCleanLine(run.stderr);
    expect(run.stderr).toMatch(/unknown option '--frobnicate'.*smsctl decode --help/);
  });

  it("rejects a --received-at that is not a date-time in one line", () => {
    const run = smsctl(["decode", "--received-at", "yesterday", join(FIXTURES, "twilio-inbound.txt")]);
    expect(run.status).toBe(2);
    expectOneCleanLine(run.stderr);
    expect(run.stderr).toMatch(/--received-at "yesterday" is not an ISO-8601 date-time/);
  });

  it("shows help for the decode command and for smsctl itself", () => {
    const decodeHelp = smsctl(["decode", "--help"]);
    expect(decodeHelp.status).toBe(0);
    expect(decodeHelp.stdout).toMatch(/Usage: smsctl decode \[options\] \[file\]/);
    expect(decodeHelp.stdout).toMatch(/--received-at <time>/);
    const help = smsctl(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/decode \[options\] \[file\]/);
  });

  it("says in one line that a command is unknown", () => {
    const run = smsctl(["frobnicate"]);
    expect(run.status).toBe(2);
    expectOneCleanLine(run.stderr);
    expect(run.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
