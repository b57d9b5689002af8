/** Runs the real `smsctl` (under tsx, from the repository root) as a user would, capturing its output. */
import { spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface SmsctlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runSmsctl(args: string[], stdin?: string): Promise<SmsctlRun> {
  const child = spawn(process.execPath, ["--import", "tsx", "cli/smsctl.ts", ...args], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
