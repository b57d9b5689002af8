import type {
  ErasedItems,
  ErasureSubject,
  ResponseRecord,
  ResponsesStore,
  SubscriberEraser,
} from "../../../../core/ports";
import { concernsSubject, erasedItems } from "../../../../core/processing/erasure-subject";

const byTimestamp = (a: ResponseRecord, b: ResponseRecord) =>
  a.response_timestamp.localeCompare(b.response_timestamp) || a.event_id.localeCompare(b.event_id);

export class MemoryResponsesStore implements ResponsesStore, SubscriberEraser {
  private readonly records = new Map<string, ResponseRecord>();

  async put(record: ResponseRecord): Promise<"created" | "exists"> {
    if (this.records.has(record.event_id)) return "exists";
    this.records.set(record.event_id, { ...record });
    return "created";
  }

  async get(eventId: string): Promise<ResponseRecord | undefined> {
    const record = this.records.get(eventId);
    return record && { ...record };
  }

  async bySubscriber(subscriberId: string): Promise<ResponseRecord[]> {
    return this.where((r) => r.subscriber_id === subscriberId);
  }

  async byCampaign(campaignId: string): Promise<ResponseRecord[]> {
    return this.where((r) => r.campaign_id === campaignId);
  }

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys = this.where((r) =>
      concernsSubject(subject, { phoneNumber: r.phone_number, subscriberId: r.subscriber_id }),
    ).map((r) => r.event_id);
    for (const key of keys) this.records.delete(key);
    return erasedItems("responses", keys);
  }

  /** Every stored record, oldest first. */
  all(): ResponseRecord[] {
    return this.where(() => true);
  }

  private where(match: (record: ResponseRecord) => boolean): ResponseRecord[] {
    return [...this.records.values()]
      .filter(match)
      .map((r) => ({ ...r }))
      .sort(byTimestamp);
  }
}
