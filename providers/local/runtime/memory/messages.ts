import type {
  ErasedItems,
  ErasureSubject,
  MessageLog,
  SentMessage,
  SentRange,
  SubscriberEraser,
} from "../../../../core/ports";
import { concernsSubject, erasedItems } from "../../../../core/processing/erasure-subject";

const sentAtOf = (message: SentMessage): number => Date.parse(message.sentAt);

export class MemoryMessageLog implements MessageLog, SubscriberEraser {
  private readonly byId = new Map<string, SentMessage>();
  /** Each number's messages, oldest first (a tie keeps the order recorded), as the clouds' indexes. */
  private readonly toNumber = new Map<string, SentMessage[]>();

  async record(message: SentMessage): Promise<void> {
    if (this.byId.has(message.messageId)) return;
    this.byId.set(message.messageId, { ...message });
    const sent = this.toNumber.get(message.phoneNumber) ?? [];
    const later = sent.findIndex((other) => sentAtOf(other) > sentAtOf(message));
    sent.splice(later === -1 ? sent.length : later, 0, { ...message });
    this.toNumber.set(message.phoneNumber, sent);
  }

  async get(messageId: string): Promise<SentMessage | undefined> {
    const message = this.byId.get(messageId);
    return message && { ...message };
  }

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys = [...this.byId.values()].filter((m) => concernsSubject(subject, m)).map((m) => m.messageId);
    for (const key of keys) this.byId.delete(key);
    for (const [phone, sent] of this.toNumber) {
      const kept = sent.filter((message) => !concernsSubject(subject, message));
      if (kept.length > 0) this.toNumber.set(phone, kept);
      else this.toNumber.delete(phone);
    }
    return erasedItems("message-log", keys);
  }

  async lastTo(phoneNumber: string): Promise<SentMessage | undefined> {
    const message = this.toNumber.get(phoneNumber)?.at(-1);
    return message && { ...message };
  }

  async sentBetween(phoneNumber: string, range: SentRange): Promise<SentMessage[]> {
    const [from, until] = [Date.parse(range.from), Date.parse(range.until)];
    return (this.toNumber.get(phoneNumber) ?? [])
      .filter((message) => sentAtOf(message) >= from && sentAtOf(message) <= until)
      .slice(0, range.limit)
      .map((message) => ({ ...message }));
  }
}
