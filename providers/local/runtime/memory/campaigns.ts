import type { CampaignRecord, CampaignStore } from "../../../../core/ports";

export class MemoryCampaignStore implements CampaignStore {
  private readonly records = new Map<string, CampaignRecord>();
  private readonly counters = new Map<string, Record<string, number>>();

  async get(campaignId: string): Promise<CampaignRecord | undefined> {
    const record = this.records.get(campaignId);
    return record && structuredClone(record);
  }

  async put(record: CampaignRecord, expectedVersion: number): Promise<boolean> {
    if ((this.records.get(record.campaignId)?.version ?? 0) !== expectedVersion) return false;
    this.records.set(record.campaignId, structuredClone(record));
    return true;
  }

  async list(): Promise<CampaignRecord[]> {
    return [...this.records.values()].map((record) => structuredClone(record));
  }

  async addCounts(campaignId: string, delta: Readonly<Record<string, number>>): Promise<void> {
    const counts = this.counters.get(campaignId) ?? {};
    for (const [name, n] of Object.entries(delta)) counts[name] = (counts[name] ?? 0) + n;
    this.counters.set(campaignId, counts);
  }

  async counts(campaignId: string): Promise<Record<string, number>> {
    return { ...(this.counters.get(campaignId) ?? {}) };
  }
}
