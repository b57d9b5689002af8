import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SendLedger, SendLedgerState } from "../../../core/ports";

type LedgerLine = { key: string } & SendLedgerState;

/**
 * A SendLedger in one append-only JSON-lines file, for `smsctl campaign send` on one machine.
 * Each claim and settle is appended synchronously before the call returns, so a crash loses at most
 * the line being written; a torn last line is ignored on reload. The file is read once at open.
 */
export class JsonlSendLedger implements SendLedger {
  private readonly states = new Map<string, SendLedgerState>();
  private readonly fd: number;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) this.load(readFileSync(path, "utf8"));
    this.fd = openSync(path, "a");
  }

  async claim(key: string, at: string): Promise<boolean> {
    if (this.states.has(key)) return false;
    this.write({ key, state: "pending", at });
    return true;
  }

  async settle(key: string, state: Exclude<SendLedgerState, { state: "pending" }>): Promise<void> {
    this.write({ key, ...state });
  }

  async get(key: string): Promise<SendLedgerState | undefined> {
    return this.states.get(key);
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(line: LedgerLine): void {
    appendFileSync(this.fd, `${JSON.stringify(line)}\n`);
    const { key, ...state } = line;
    this.states.set(key, state as SendLedgerState);
  }

  private load(text: string): void {
    for (const raw of text.split("\n")) {
      if (raw.trim() === "") continue;
      try {
        const { key, ...state } = JSON.parse(raw) as LedgerLine;
        this.states.set(key, state as SendLedgerState);
      } catch {
        // A line torn by a crash mid-write: its key is still unclaimed or pending from an earlier line.
      }
    }
  }
}
