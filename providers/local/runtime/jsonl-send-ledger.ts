import type { SendLedger, SendLedgerState } from "../../../core/ports";
import { JsonlFile } from "./jsonl-file";

type LedgerLine = { key: string } & SendLedgerState;

/**
 * A SendLedger in one append-only JSON-lines file, for `smsctl campaign send` on one machine.
 * Each claim and settle is appended before the call returns; the file is read once at open.
 */
export class JsonlSendLedger implements SendLedger {
  private readonly states = new Map<string, SendLedgerState>();
  private readonly file: JsonlFile<LedgerLine>;

  constructor(readonly path: string) {
    for (const { key, ...state } of JsonlFile.read<LedgerLine>(path)) {
      this.states.set(key, state as SendLedgerState);
    }
    this.file = new JsonlFile(path);
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
    this.file.close();
  }

  private write(line: LedgerLine): void {
    this.file.append(line);
    const { key, ...state } = line;
    this.states.set(key, state as SendLedgerState);
  }
}
