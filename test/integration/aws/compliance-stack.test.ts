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

    const stdout: string[] = [];
    const stderr: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
    await report(
      { outputs: outputsFile("outputs.json", outputs), windowMinutes: "5", format: "jsonl" },
      connect,
    );
    const exitCode = process.exitCode;
    vi.restoreAllMocks();

    const lines = stdout
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as ComplianceLine);
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
    expect(stdout.join("")).not.toContain("+12125550102");
    expect(stderr.join("")).toBe("compliance: 3 opt-out(s): 1 met, 1 breached, 1 pending\n");
    expect(exitCode).toBe(1);
  }, 60_000);
});

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
