import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { type ComplianceLine, report } from "../../../cli/commands/compliance";
import type { RevocationClockStart } from "../../../core/ports";
import { connectAwsStack } from "../../../providers/aws/runtime/campaign-stack";
import { FAKE_CREDENTIALS } from "../../../providers/aws/runtime/client-config";
import { javaAvailable } from "../../../providers/local/emulators";
import { ensureTables } from "../../../providers/local/emulators/provision";
import { uniqueName, useAwsEmulators } from "../../emulators/aws";
import { runSmsctl } from "../../support/smsctl";

const hasJava = javaAvailable();
const fixture = useAwsEmulators({ dynamodb: hasJava });
const dir = mkdtempSync(join(tmpdir(), "smsctl-compliance-stack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const baseOutputs = {
  cloud: "aws",
  region: "us-east-1",
  campaignsTable: "sms-campaigns",
  audienceBucket: "sms-audiences",
  audienceKeyArn: "arn:aws:kms:us-east-1:000000000000:key/stack-key",
  tickerFunction: "sms-ticker",
  enrollmentFunction: "sms-enrollment",
};

const outputsFile = (name: string, outputs: Record<string, unknown>) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(outputs));
  return path;
};

const clock = (eventId: string, phoneNumber: string, optedOutAt: string): RevocationClockStart => ({
  eventId,
  phoneNumber,
  optedOutAt,
  source: "reply_keyword",
  confirmationExpected: true,
});

/** Runs `compliance report` in-process, returning its JSON lines, its stderr and the exit code it set. */
async function reportRun(
  options: Parameters<typeof report>[0],
  connect: Parameters<typeof report>[1],
): Promise<{ lines: ComplianceLine[]; stdout: string; stderr: string; exitCode: typeof process.exitCode }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
  try {
    await report(options, connect);
  } finally {
    vi.restoreAllMocks();
  }
  const text = stdout.join("").trim();
  const lines = text === "" ? [] : text.split("\n").map((line) => JSON.parse(line) as ComplianceLine);
  return { lines, stdout: text, stderr: stderr.join(""), exitCode: process.exitCode };
}

describe.skipIf(!hasJava)("smsctl compliance report --outputs (DynamoDB Local)", () => {
  it("lists the stack's clocks with the ticker's verdicts, masked, and exits 1 on a breach", async () => {
    const table = uniqueName("revocation-clocks");
    await ensureTables(fixture.clients().dynamodb, { revocations: table });
    const outputs = { ...baseOutputs, revocationClocksTable: table };
    const connect = async (raw: Record<string, unknown>) =>
      connectAwsStack(raw, { endpoints: fixture.emulators().endpoints, credentials: FAKE_CREDENTIALS });
    // The stack's ticker has judged two clocks (one met, one breached); a third is not yet due.
    const store = (await connect(outputs)).revocations!;
    await store.start(clock("evt-ana", "+12125550101", "2026-06-15T16:00:00.000Z"));
    await store.start(clock("evt-ben", "+12125550102", "2026-06-15T16:01:00.000Z"));
    await store.start(clock("evt-cal", "+12125550103", "2026-06-15T16:04:00.000Z"));
    await store.confirm("evt-ana", "2026-06-15T16:00:02.000Z", "msg-ana");
    await store.settle("evt-ana", { status: "met", checkedAt: "2026-06-15T16:05:00.000Z", failures: [] });
    await store.settle("evt-ben", {
      status: "breached",
      checkedAt: "2026-06-15T16:06:00.000Z",
      failures: [
        { check: "confirmation_sent", reason: "no confirmation was sent" },
        { check: "no_send_after", reason: "a send to +12125550102 at 2026-06-15T16:02:00.000Z" },
      ],
    });

    const { lines, stdout, stderr, exitCode } = await reportRun(
      { outputs: outputsFile("outputs.json", outputs), windowMinutes: "5", format: "jsonl" },
      connect,
    );

    expect(lines.map((line) => [line.event, line.phone, line.status])).toEqual([
      ["evt-ana", "***0101", "met"],
      ["evt-ben", "***0102", "breached"],
      ["evt-cal", "***0103", "pending"],
    ]);
    expect(lines[0]).toMatchObject({
      dueAt: "2026-06-15T16:05:00.000Z",
      confirmedAt: "2026-06-15T16:00:02.000Z",
      checks: { confirmation_sent: "ok", suppressed: "ok", journeys_ended: "ok", no_send_after: "ok" },
    });
    expect(lines[1].checks).toMatchObject({ confirmation_sent: "failed", no_send_after: "failed" });
    expect(lines[1].breach).toContain("confirmation_sent: no confirmation was sent");
    expect(lines[2].checks.confirmation_sent).toBe("pending");
    expect(stdout).not.toContain("+12125550102");
    expect(stderr).toBe("compliance: 3 opt-out(s): 1 met, 1 breached, 1 pending\n");
    expect(exitCode).toBe(1);
  }, 60_000);
});

describe.skipIf(!hasJava)(
  "smsctl compliance report --outputs: the stack's SLA window (DynamoDB Local)",
  () => {
    const connect = async (raw: Record<string, unknown>) =>
      connectAwsStack(raw, { endpoints: fixture.emulators().endpoints, credentials: FAKE_CREDENTIALS });

    /** Runs the report on the outputs, returning the due times it printed and its stderr. */
    async function dueTimes(outputs: Record<string, unknown>, windowMinutes?: string) {
      const { lines, stderr } = await reportRun(
        {
          outputs: outputsFile(`outputs-${uniqueName("sla")}.json`, outputs),
          format: "jsonl",
          ...(windowMinutes === undefined ? {} : { windowMinutes }),
        },
        connect,
      );
      return { dueAt: lines.map((line) => line.dueAt), stderr };
    }

    it("shows due times with the stack's revocationSlaMinutes unless --window-minutes is given", async () => {
      const table = uniqueName("revocation-clocks");
      await ensureTables(fixture.clients().dynamodb, { revocations: table });
      const outputs = { ...baseOutputs, revocationClocksTable: table, revocationSlaMinutes: 10 };
      await (await connect(outputs)).revocations!.start(
        clock("evt-dan", "+12125550104", "2026-06-15T16:00:00.000Z"),
      );

      const stackWindow = await dueTimes(outputs);
      expect(stackWindow.dueAt).toEqual(["2026-06-15T16:10:00.000Z"]);
      expect(stackWindow.stderr).toBe("compliance: 1 opt-out(s): 0 met, 0 breached, 1 pending\n");
      // Pulumi may print a number output as text; the window reads the same.
      expect((await dueTimes({ ...outputs, revocationSlaMinutes: "10" })).dueAt).toEqual([
        "2026-06-15T16:10:00.000Z",
      ]);
      expect((await dueTimes(outputs, "3")).dueAt).toEqual(["2026-06-15T16:03:00.000Z"]);

      // A stack deployed before the output existed: the default window, and a warning saying so.
      const { revocationSlaMinutes: _absent, ...older } = outputs;
      const olderStack = await dueTimes(older);
      expect(olderStack.dueAt).toEqual(["2026-06-15T16:05:00.000Z"]);
      expect(olderStack.stderr).toContain(
        "compliance: the stack outputs name no revocationSlaMinutes (deployed by an older version): due times use 5 minutes; pass --window-minutes N for the stack's window\n",
      );
    }, 60_000);
  },
);

describe("smsctl compliance report --stack/--outputs: bad arguments", () => {
  it("asks for a redeploy, in one line, when the outputs name no revocation clocks (an older stack)", async () => {
    const run = await runSmsctl([
      "compliance",
      "report",
      "--outputs",
      outputsFile("old-outputs.json", baseOutputs),
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "smsctl: aws us-east-1 bucket sms-audiences: its outputs name no revocation clocks store (deployed by an older version). Redeploy the stack with this version, then run the report again\n",
    );
  }, 60_000);

  it("rejects a revocationSlaMinutes output that is no window, in one line", async () => {
    const file = outputsFile("bad-sla-outputs.json", {
      ...baseOutputs,
      revocationClocksTable: "sms-revocation-clocks",
      revocationSlaMinutes: "soon",
    });
    const run = await runSmsctl(["compliance", "report", "--outputs", file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `smsctl: the stack outputs' revocationSlaMinutes must be a whole number of minutes from 1 to 1440, got "soon". Pass --window-minutes N, or check the outputs file\n`,
    );
  }, 60_000);

  it("refuses --stack with --outputs, and --state with a stack, in one line each", async () => {
    const file = outputsFile("outputs-both.json", baseOutputs);
    const both = await runSmsctl(["compliance", "report", "--stack", "dev", "--outputs", file]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^smsctl: pass exactly one of --stack NAME or --outputs FILE[^\n]*\n$/);
    const mixed = await runSmsctl(["compliance", "report", "--outputs", file, "--state", dir]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^smsctl: --state and --at are for the local form[^\n]*\n$/);
  }, 60_000);
});
