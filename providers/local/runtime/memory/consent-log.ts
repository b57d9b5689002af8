import type {
  ConsentEntry,
  ConsentLog,
  ConsentRecord,
  ErasedItems,
  ErasureSubject,
  SubscriberEraser,
} from "../../../../core/ports";
import { nextConsentEntry } from "../../../../core/processing/consent";
import { erasedItems } from "../../../../core/processing/erasure-subject";

/**
 * The consent log in memory, one chain per number. An append reads the chain's end and writes the
 * next entry without awaiting in between, so concurrent appends on one number cannot fork it.
 */
export class MemoryConsentLog implements ConsentLog, SubscriberEraser {
  private readonly chains = new Map<string, ConsentEntry[]>();

  async append(record: ConsentRecord): Promise<ConsentEntry> {
    return { ...this.appendNow(record).entry };
  }

  /** The append itself, synchronous: `created` is false when the event had already made its entry. */
  appendNow(record: ConsentRecord): { entry: ConsentEntry; created: boolean } {
    const chain = this.chains.get(record.phoneNumber) ?? [];
    const existing = chain.find((entry) => entry.eventId === record.eventId);
    if (existing) return { entry: existing, created: false };
    const entry = nextConsentEntry(record, chain.at(-1));
    this.restore(entry);
    return { entry, created: true };
  }

  async entriesFor(phoneNumber: string): Promise<ConsentEntry[]> {
    return (this.chains.get(phoneNumber) ?? []).map((entry) => ({ ...entry }));
  }

  /** The number's chain goes whole (its head is kept in the erasure tombstone). */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const chain = this.chains.get(subject.phoneNumber) ?? [];
    this.chains.delete(subject.phoneNumber);
    return erasedItems(
      "consent-log",
      chain.map((entry) => `${subject.phoneNumber}/entry#${entry.sequence}`),
    );
  }

  /** Puts back an entry exactly as stored elsewhere (a file), without re-hashing: tampering stays visible. */
  restore(entry: ConsentEntry): void {
    const chain = this.chains.get(entry.phoneNumber);
    if (chain) chain.push(entry);
    else this.chains.set(entry.phoneNumber, [entry]);
  }
}
