import type { ErasedItems, ErasureSubject, OptOutStore, SubscriberEraser } from "../../../../core/ports";
import { erasedItems } from "../../../../core/processing/erasure-subject";

interface OptOutEntry {
  at: string;
  sourceEventId: string;
}

export class MemoryOptOutStore implements OptOutStore, SubscriberEraser {
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

  /** The number's opt-out goes: its tombstone keeps it suppressed from now on. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const removed = this.entries.delete(subject.phoneNumber);
    return erasedItems("opt-outs", removed ? [subject.phoneNumber] : []);
  }

  /** Numbers currently opted out. */
  list(): string[] {
    return [...this.entries.keys()].sort();
  }
}
