import type {
  ErasedItems,
  ErasureSubject,
  MessageLog,
  SentMessage,
  SubscriberEraser,
} from "../../../../core/ports";
import { concernsSubject, erasedItems } from "../../../../core/processing/erasure-subject";

export class MemoryMessageLog implements MessageLog, SubscriberEraser {
  private readonly byId = new Map<string, SentMessage>();
  private readonly newestTo = new Map<string, SentMessage>();

  async record(message: SentMessage): Promise<void> {
    if (this.byId.has(message.messageId)) return;
    this.byId.set(message.messageId, { ...message });
    const newest = this.newestTo.get(message.phoneNumber);
    if (!newest || Date.parse(message.sentAt) >= Date.parse(newest.sentAt)) {
      this.newestTo.set(message.phoneNumber, { ...message });
    }
  }

  async get(messageId: string): Promise<SentMessage | undefined> {
    const message = this.byId.get(messageId);
    return message && { ...message };
  }

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys = [...this.byId.values()].filter((m) => concernsSubject(subject, m)).map((m) => m.messageId);
    for (const key of keys) this.byId.delete(key);
    for (const [phone, message] of this.newestTo) {
      if (concernsSubject(subject, message)) this.newestTo.delete(phone);
    }
    return erasedItems("message-log", keys);
  }

  async lastTo(phoneNumber: string): Promise<SentMessage | undefined> {
    const message = this.newestTo.get(phoneNumber);
    return message && { ...message };
  }
}
