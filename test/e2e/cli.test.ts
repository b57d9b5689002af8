/** `npm start` as a user meets it: help, bad options and a taken port, each a clear message. */
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

const start = (...args: string[]) => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "cli/start.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
};

describe("npm start's command line", () => {
  it("lists its options with --help", () => {
    const { code, stdout } = start("--help");
    expect(code).toBe(0);
    for (const option of [
      "--subscribers",
      "--seed",
      "--at",
      "--out",
      "--failure-rate",
      "--reply-rate",
      "--stop-rate",
      "--tick-seconds",
    ]) {
      expect(stdout).toContain(option);
    }
  });

  it("says --no-dynamodb-local picks the in-memory stores, and that DynamoDB Local is what needs Java", () => {
    const help = start("--help").stdout.replace(/\s+/g, " ");
    expect(help).toContain(
      "--no-dynamodb-local use in-memory stores (default: DynamoDB Local when Java is installed)",
    );
  });

  it.each([
    [["--bogus"], /unknown option '--bogus'/],
    [["--subscribers", "ten"], /--subscribers must be an integer/],
    [["--reply-rate", "1.5"], /--reply-rate must be a number between 0 and 1/],
    [["--tick-seconds", "0"], /--tick-seconds must be an integer between 1 and 3600/],
    [["--at", "yesterday"], /--at must be an ISO-8601 UTC instant/],
    [["--stop-rate", "0.7", "--help-rate", "0.4"], /must not exceed 1/],
  ])("rejects %j with one clear line and a non-zero exit", (args, message) => {
    const { code, stderr } = start(...args);
    expect(code).not.toBe(0);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  describe("when an emulator's port is taken", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("says which port and emulator, without a stack trace", () => {
      const { code, stderr } = start("--ports", `kinesis=${port}`, "--subscribers", "10", "--no-progress");
      expect(code).toBe(3);
      expect(stderr).toMatch(new RegExp(`kinesis-local: port ${port} on 127.0.0.1 is already in use`));
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  });
});
