import type { ParkedReceipt, PendingReceiptStore, ReceiptClaim, SmsEvent } from "../../../../core/ports";
import { claimHolds } from "../../../../core/processing/parking";

const keyOf = (consumer: string, eventId: string) => `${consumer}\n${eventId}`;

export class MemoryPendingReceiptStore implements PendingReceiptStore {
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

  async remove(consumer: string, eventId: string): Promise<void> {
    this.parked.delete(keyOf(consumer, eventId));
  }
}
