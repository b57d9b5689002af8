import type {
  ErasedItems,
  ErasureSubject,
  ParkedReceipt,
  PendingReceiptStore,
  ReceiptClaim,
  SmsEvent,
  SubscriberEraser,
} from "../../../../core/ports";
import { concernsSubject, erasedItems } from "../../../../core/processing/erasure-subject";
import { claimHolds } from "../../../../core/processing/parking";

const keyOf = (consumer: string, eventId: string) => `${consumer}\n${eventId}`;

export class MemoryPendingReceiptStore implements PendingReceiptStore, SubscriberEraser {
  private readonly parked = new Map<string, ParkedReceipt & { consumer: string; claim?: ReceiptClaim }>();

  async park(consumer: string, event: SmsEvent, parkedAt: string): Promise<void> {
    const key = keyOf(consumer, event.eventId);
    if (!this.parked.has(key)) this.parked.set(key, { consumer, event: structuredClone(event), parkedAt });
  }

  async list(consumer: string, limit: number): Promise<ParkedReceipt[]> {
    return [...this.parked.values()]
      .filter((entry) => entry.consumer === consumer)
      .sort((a, b) => Date.parse(a.parkedAt) - Date.parse(b.parkedAt))
      .slice(0, limit)
      .map(({ event, parkedAt }) => ({ event: structuredClone(event), parkedAt }));
  }

  async claim(consumer: string, eventId: string, claim: ReceiptClaim): Promise<boolean> {
    const entry = this.parked.get(keyOf(consumer, eventId));
    if (!entry || claimHolds(entry.claim, claim)) return false;
    entry.claim = claim;
    return true;
  }

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys = [...this.parked.entries()]
      .filter(([, p]) => concernsSubject(subject, p.event))
      .map(([k]) => k);
    for (const key of keys) this.parked.delete(key);
    return erasedItems(
      "pending-receipts",
      keys.map((key) => key.replace("\n", "/")),
    );
  }

  async remove(consumer: string, eventId: string): Promise<void> {
    this.parked.delete(keyOf(consumer, eventId));
  }
}
