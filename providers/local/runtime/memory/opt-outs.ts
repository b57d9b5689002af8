import type { OptOutStore } from "../../../../core/ports";

interface OptOutEntry {
  at: string;
  sourceEventId: string;
}

export class MemoryOptOutStore implements OptOutStore {
  private readonly entries = new Map<string, OptOutEntry>();

  async optOut(phoneNumber: string, at: string, sourceEventId: string): Promise<boolean> {
    const existing = this.entries.get(phoneNumber);
    // A retry of the opting-out event itself is still "the first time": its confirmation may not have gone out.
    if (existing) return existing.sourceEventId === sourceEventId;
    this.entries.set(phoneNumber, { at, sourceEventId });
    return true;
  }

  async optIn(phoneNumber: string): Promise<boolean> {
    return this.entries.delete(phoneNumber);
  }

  async isOptedOut(phoneNumber: string): Promise<boolean> {
    return this.entries.has(phoneNumber);
  }

  /** Numbers currently opted out. */
  list(): string[] {
    return [...this.entries.keys()].sort();
  }
}
