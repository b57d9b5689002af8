import type { SendLedger, SendLedgerState } from "../../../../core/ports";

export class MemorySendLedger implements SendLedger {
  readonly states = new Map<string, SendLedgerState>();

  async claim(key: string, at: string): Promise<boolean> {
    if (this.states.has(key)) return false;
    this.states.set(key, { state: "pending", at });
    return true;
  }

  async settle(key: string, state: Exclude<SendLedgerState, { state: "pending" }>): Promise<void> {
    this.states.set(key, { ...state });
  }

  async get(key: string): Promise<SendLedgerState | undefined> {
    const state = this.states.get(key);
    return state && { ...state };
  }
}
