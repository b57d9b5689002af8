import type { ResponseRecord, ResponsesStore } from "../../../../core/ports";

const byTimestamp = (a: ResponseRecord, b: ResponseRecord) =>
  a.response_timestamp.localeCompare(b.response_timestamp) || a.event_id.localeCompare(b.event_id);

export class MemoryResponsesStore implements ResponsesStore {
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
