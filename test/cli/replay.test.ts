/** `smsctl replay --dir` as a user runs it: results on stdout, one line for every mistake. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveEvents } from "../../core/processing/archive";
import { DirectoryArchive } from "../../providers/local/runtime/directory-archive";
import { MemoryMessageLog } from "../../providers/local/runtime/memory";
import { smsEvent } from "../unit/processing/events";

const ROOT = join(import.meta.dirname, "..", "..");

const replay = (...args: string[]) => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "cli/smsctl.ts", "replay", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
};

let dir: string;
const events = [
  smsEvent({ kind: "sent", campaignId: "a", occurredAt: "2026-06-16T18:00:00.000Z" }),
  smsEvent({ kind: "delivered", campaignId: "a", occurredAt: "2026-06-16T18:00:05.000Z" }),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "smsctl-replay-"));
  await archiveEvents(
    events,
    { archive: new DirectoryArchive(join(dir, "archive")), messages: new MemoryMessageLog() },
    "batch",
  );
  writeFileSync(join(dir, "file.txt"), "not a directory");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("smsctl replay --dir", () => {
  it("prints the events on stdout and its counts on stderr, so > file captures only events", () => {
    const result = replay("--from", "2026-06-16", "--dir", join(dir, "archive"));
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).eventId),
    ).toEqual(events.map((event) => event.eventId));
    expect(result.stderr).toBe('smsctl replay: {"objects":1,"events":2}');
  });

  it("warns in one line and exits 1 when no archive object is in the range", () => {
    const result = replay("--from", "2026-11-01", "--to", "2026-11-07", "--dir", join(dir, "archive"));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n");
    expect(lines[1]).toMatch(
      /^smsctl replay: warning: no archive objects under .*events\/dt=\{2026-11-01\.\.2026-11-07\}\//,
    );
    expect(lines).toHaveLength(2);
  });

  it("finds the archive under --prefix, as in a shared bucket", async () => {
    const prefixed = join(dir, "prefixed");
    await archiveEvents(
      events,
      {
        archive: new DirectoryArchive(prefixed, { keyPrefix: "stack-a/" }),
        messages: new MemoryMessageLog(),
      },
      "b",
    );
    const result = replay("--from", "2026-06-16", "--dir", prefixed, "--prefix", "stack-a/");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(2);
  });

  it.each([
    [
      ["--from", "2026-06-16", "--dir", "/no/such/archive"],
      /^smsctl: --dir \/no\/such\/archive: no such directory\./,
    ],
    [["--from", "2026-06-16", "--dir", "FILE"], /^smsctl: --dir .*file\.txt is a file\./],
    [
      ["--from", "2026-06-17", "--to", "2026-06-16", "--dir", "DIR"],
      /^smsctl: the range ends on 2026-06-16, before it starts on 2026-06-17\. Pass --from and --to/,
    ],
  ])("rejects %j with one line and exit 2", (args, message) => {
    const resolved = args.map((arg) => (arg === "FILE" ? join(dir, "file.txt") : arg === "DIR" ? dir : arg));
    const result = replay(...resolved);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
