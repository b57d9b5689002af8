import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutNpmContext } from "../support/npm";

const ROOT = join(import.meta.dirname, "..", "..");
const AT = "2026-06-15T16:00:00Z"; // 12:00 in New York, 09:00 in Los Angeles

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function smsctl(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, ["--import", "tsx", "cli/smsctl.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const run = (args: string[], env?: Record<string, string>) => smsctl(args, env).done;

let dir: string;
let subscribers: string;
let optOuts: string;

/**
 * 10,000 rows: New York and Los Angeles numbers, with planted problems at known rows:
 * every 500th row an invalid number, every 700th a duplicate number, every 900th a toll-free
 * number (zone unknown), every 1000th opted out, and one row with too many fields.
 */
function generate(): { expected: Record<string, number> } {
  const lines = ["subscriber_id,phone_number,time_zone,first_name"];
  const optedOut = ["phone_number"];
  const counts = { invalid: 0, duplicate: 0, unknownZone: 0, optedOut: 0, bad: 0 };
  for (let i = 1; i <= 10_000; i++) {
    const area = i % 2 === 0 ? "212" : "310";
    let phone = `+1${area}${String(2_000_000 + i).padStart(7, "0")}`;
    if (i === 4242) {
      lines.push(`s${i},${phone},,Too,many`);
      counts.bad++;
      continue;
    }
    if (i % 500 === 0) {
      phone = "12345";
      counts.invalid++;
    } else if (i % 700 === 0) {
      phone = `+1310${String(2_000_000 + 1).padStart(7, "0")}`; // row 1's number
      counts.duplicate++;
    } else if (i % 900 === 0) {
      phone = `+1800${String(2_000_000 + i).padStart(7, "0")}`;
      counts.unknownZone++;
    } else if (i % 1000 === 1) {
      optedOut.push(phone);
      counts.optedOut++;
    }
    lines.push(`s${i},${phone},,Name${i}`);
  }
  writeFileSync(subscribers, `${lines.join("\n")}\n`);
  writeFileSync(optOuts, `${optedOut.join("\n")}\n`);
  const eligible =
    10_000 - counts.invalid - counts.duplicate - counts.unknownZone - counts.optedOut - counts.bad;
  return { expected: { ...counts, eligible } };
}

let expected: Record<string, number>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "smsctl-campaign-"));
  subscribers = join(dir, "subscribers.csv");
  optOuts = join(dir, "opt-outs.csv");
  ({ expected } = generate());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const common = () => [
  "--subscribers",
  subscribers,
  "--opt-outs",
  optOuts,
  "--message",
  "Hi {{first_name}}!",
  "--at",
  AT,
];

describe("smsctl campaign plan", () => {
  it("prints one JSON object of counts for a 10,000-row file and reports bad rows by line", async () => {
    const result = await run(["campaign", "plan", ...common(), "--mps", "100"]);
    expect(result.code).toBe(1); // a row could not be read: partial input exits 1, with the plan printed
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const plan = JSON.parse(lines[0]);
    expect(plan).toEqual({
      audience: 10_000,
      eligibleNow: expected.eligible,
      suppressed: {
        optedOut: expected.optedOut,
        invalidNumber: expected.invalid,
        duplicate: expected.duplicate,
        budget: 0,
      },
      held: { quietHours: 0, unknownTimeZone: expected.unknownZone },
      encoding: "GSM-7",
      maxSegmentsPerMessage: 1,
      totalSegments: expected.eligible,
      estimatedCostUsd: expect.closeTo(expected.eligible * 0.00881, 6),
      estimatedDurationSeconds: Math.ceil(expected.eligible / 100),
      badRows: 1,
    });
    expect(result.stderr).toContain("line 4243: bad_row");
    expect(result.stderr).toContain("line 501: invalid_number");
    expect(result.stderr).toContain("line 701: duplicate");
  });

  it("holds everyone for quiet hours at night and caps by budget", async () => {
    const night = await run(["campaign", "plan", ...common().slice(0, -2), "--at", "2026-06-15T09:00:00Z"]);
    expect(JSON.parse(night.stdout).held.quietHours).toBe(expected.eligible);
    // 05:00 in New York: the window opens at 08:00 there, as a send would report.
    expect(JSON.parse(night.stdout).nextWindowAt).toBe("2026-06-15T12:00:00.000Z");
    const capped = await run(["campaign", "plan", ...common(), "--budget", "1"]);
    const plan = JSON.parse(capped.stdout);
    expect(plan.eligibleNow).toBe(Math.floor(1 / 0.00881));
    expect(plan.suppressed.budget).toBe(expected.eligible - plan.eligibleNow);
  });
});

describe("smsctl campaign send --provider local", () => {
  it("sends every eligible subscriber once, survives a kill mid-send, and resumes without repeats", async () => {
    const state = join(dir, "state");
    const args = [
      "campaign",
      "send",
      ...common(),
      "--provider",
      "local",
      "--state",
      state,
      "--mps",
      "2000",
      "--no-progress",
    ];

    const first = smsctl(args);
    // Kill the whole process group as soon as part of the campaign is on the ledger.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const ledger = existsSync(join(state, "ledger.jsonl"))
          ? readFileSync(join(state, "ledger.jsonl"), "utf8")
          : "";
        if (ledger.split("\n").length > 2000) {
          clearInterval(poll);
          if (first.child.pid) process.kill(-first.child.pid, "SIGKILL");
          resolve();
        }
      }, 20);
      void first.done.then(() => {
        clearInterval(poll);
        resolve();
      });
    });
    const interrupted = await first.done;
    expect(interrupted.code).not.toBe(0);

    const resumed = await run(args);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.sent + summary.alreadySent).toBe(expected.eligible);
    expect(summary.alreadySent).toBeGreaterThan(0);
    expect(summary.suppressed).toEqual({
      optedOut: expected.optedOut,
      invalidNumber: expected.invalid,
      duplicate: expected.duplicate,
      budget: 0,
    });
    expect(summary.held.unknownTimeZone).toBe(expected.unknownZone);

    // The ledger settles each key as sent exactly once.
    const settled = readFileSync(join(state, "ledger.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.includes('"state":"sent"'))
      .map((line) => JSON.parse(line).key);
    expect(settled).toHaveLength(expected.eligible);
    expect(new Set(settled).size).toBe(expected.eligible);

    // A third run has nothing left to send.
    const again = JSON.parse((await run(args)).stdout);
    expect(again).toMatchObject({ sent: 0, alreadySent: expected.eligible });
  });
});

describe("smsctl campaign send --wait-for-window", () => {
  it("holds a message until 08:00 in the recipient's zone, then sends it", async () => {
    const small = join(dir, "one.csv");
    writeFileSync(small, "subscriber_id,phone_number\nny1,+12125550101\n");
    const args = [
      "campaign",
      "send",
      "--subscribers",
      small,
      "--message",
      "Good morning",
      "--provider",
      "local",
    ];
    // 07:59:59 in New York: one second before the window opens.
    const at = ["--at", "2026-06-15T11:59:59Z", "--state", join(dir, "wait-state"), "--no-progress"];
    const held = JSON.parse(
      (await run([...args, ...at.slice(0, 2), "--state", join(dir, "no-wait")])).stdout,
    );
    expect(held).toMatchObject({
      sent: 0,
      held: { quietHours: 1 },
      nextWindowAt: "2026-06-15T12:00:00.000Z",
    });
    const waited = JSON.parse((await run([...args, ...at, "--wait-for-window"])).stdout);
    expect(waited).toMatchObject({ sent: 1, held: { quietHours: 0 } });
  });
});

describe("smsctl campaign: bad input", () => {
  it.each([
    [
      "a missing required column",
      () => {
        const path = join(dir, "no-phone.csv");
        writeFileSync(path, "subscriber_id,mobile\ns1,+12125551234\n");
        return ["campaign", "plan", "--subscribers", path, "--message", "hi"];
      },
      /missing required column\(s\): phone_number/,
    ],
    [
      "an unreadable file",
      () => ["campaign", "plan", "--subscribers", join(dir, "nope.csv"), "--message", "hi"],
      /cannot read subscribers file .*nope\.csv/,
    ],
    [
      "an unknown provider",
      () => [
        "campaign",
        "send",
        "--subscribers",
        subscribers,
        "--message",
        "hi",
        "--provider",
        "carrier-pigeon",
      ],
      /unknown provider "carrier-pigeon"/,
    ],
    [
      "a bad --at",
      () => ["campaign", "plan", "--subscribers", subscribers, "--message", "hi", "--at", "tomorrow"],
      /--at must be an ISO-8601 date-time/,
    ],
    [
      "both --message and --template",
      () => ["campaign", "plan", "--subscribers", subscribers, "--message", "hi", "--template", subscribers],
      /exactly one of --message TEXT or --template FILE/,
    ],
  ])("rejects %s with one clear line and a non-zero exit", async (_case, argsOf, message) => {
    const result = await run(argsOf());
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it("refuses to send through a real provider outside a stack, in one line, before reading the audience", async () => {
    for (const provider of ["aws-eum", "aws-pinpoint", "azure-acs", "twilio"]) {
      const result = await run([
        "campaign",
        "send",
        "--subscribers",
        join(dir, "nope.csv"),
        "--message",
        "hi",
        "--provider",
        provider,
      ]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim()).toBe(
        `smsctl: --provider ${provider} would send from this machine, outside your stack, where its opt-outs, send ledger and stream never see it. Send through the stack with --stack NAME (or --outputs FILE), or try it with --provider local`,
      );
    }
  });

  it("refuses the options a stack's own config decides when sending through a stack", async () => {
    const result = await run([
      "campaign",
      "send",
      "--subscribers",
      subscribers,
      "--message",
      "hi",
      "--stack",
      "prod",
      "--mps",
      "5",
      "--opt-outs",
      "x.csv",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      "smsctl: --opt-outs, --mps cannot be used with --stack: the stack's config sets them. Drop them",
    );
  });

  it("says what to pass when the stack outputs are missing or not outputs", async () => {
    const notJson = join(dir, "outputs.txt");
    writeFileSync(notJson, "hello");
    const noCloud = join(dir, "outputs.json");
    writeFileSync(noCloud, JSON.stringify({ bucket: "b" }));
    const cases: [string[], string][] = [
      [
        ["campaign", "status", "c-1"],
        "smsctl: pass exactly one of --stack NAME or --outputs FILE (the output of 'pulumi stack output --json')",
      ],
      [
        ["campaign", "status", "c-1", "--outputs", notJson],
        `smsctl: ${notJson} is not JSON. Pass the output of 'pulumi stack output --json'`,
      ],
      [
        ["campaign", "pause", "c-1", "--outputs", noCloud],
        'smsctl: the stack outputs have no valid "cloud" (got undefined); expected one of aws, azure, gcp. Redeploy with this version, or check the outputs file',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.trim()).toBe(message);
    }
  });

  it("says a directory given as a file is a directory, in one line", async () => {
    const result = await run(["campaign", "plan", "--subscribers", dir, "--message", "hi"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `smsctl: cannot read subscribers file ${dir}: it is a directory. Pass a file`,
    );
  });
});

describe("smsctl campaign: placeholders", () => {
  const csv = () => {
    const path = join(dir, "names.csv");
    writeFileSync(
      path,
      "subscriber_id,phone_number,first_name,tier\ns1,+12125550101,Ana,gold\ns2,+12125550102,,gold\n",
    );
    return path;
  };

  it.each(["plan", "send"])(
    "campaign %s refuses a placeholder that is no column, naming it and the columns",
    async (command) => {
      const path = csv();
      const result = await run([
        "campaign",
        command,
        "--subscribers",
        path,
        "--message",
        "Hi {{frist_name}}, {{tier}} member",
        ...(command === "send" ? ["--provider", "local", "--state", join(dir, "typo-state")] : []),
      ]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim()).toBe(
        `smsctl: the message uses {{frist_name}}, which is not a column of ${path}. Use one of: subscriber_id, first_name, tier`,
      );
      expect(existsSync(join(dir, "typo-state", "sends.jsonl"))).toBe(false);
    },
  );

  it("counts in the plan the messages an empty column leaves blank, unless a fallback is given", async () => {
    const plan = async (message: string) =>
      JSON.parse(
        (await run(["campaign", "plan", "--subscribers", csv(), "--message", message, "--at", AT])).stdout,
      );
    expect((await plan("Hi {{first_name}}")).emptyPlaceholders).toEqual({ first_name: 1 });
    expect((await plan("Hi {{first_name|there}}")).emptyPlaceholders).toBeUndefined();
  });

  it("writes each rendered message of a local send to the outbox, with the fallback filled in", async () => {
    const state = join(dir, "outbox-state");
    const args = ["campaign", "send", "--subscribers", csv(), "--message", "Hi {{first_name|there}}!"];
    const result = await run([...args, "--provider", "local", "--state", state, "--at", AT, "--no-progress"]);
    expect(JSON.parse(result.stdout)).toMatchObject({ sent: 2 });
    const sends = readFileSync(join(state, "sends.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(sends.map(({ to, body }) => ({ to, body }))).toEqual([
      { to: "+12125550101", body: "Hi Ana!" },
      { to: "+12125550102", body: "Hi there!" },
    ]);
  });
});

describe("smsctl through npm --prefix", () => {
  it("resolves relative paths against the directory the user ran npm in (INIT_CWD)", async () => {
    const user = mkdtempSync(join(tmpdir(), "smsctl-user-"));
    writeFileSync(join(user, "subs.csv"), "subscriber_id,phone_number\ns1,+12125550101\n");
    const npm = spawnSync(
      "npm",
      ["--prefix", ROOT, "run", "-s", "smsctl", "--", "campaign", "send", "--subscribers", "subs.csv"].concat(
        ["--message", "hi", "--provider", "local", "--state", "state", "--at", AT, "--no-progress"],
      ),
      { cwd: user, encoding: "utf8", env: withoutNpmContext() },
    );
    expect(npm.stderr).toBe("");
    expect(JSON.parse(npm.stdout)).toMatchObject({ sent: 1 });
    expect(existsSync(join(user, "state", "sends.jsonl"))).toBe(true);
    rmSync(user, { recursive: true, force: true });
  });
});
