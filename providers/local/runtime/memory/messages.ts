import type { MessageLog, SentMessage } from "../../../../core/ports";

export class MemoryMessageLog implements MessageLog {
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

  async lastTo(phoneNumber: string): Promise<SentMessage | undefined> {
    const message = this.newestTo.get(phoneNumber);
    return message && { ...message };
  }
}
