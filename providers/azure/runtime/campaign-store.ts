import type { Container, PatchOperation } from "@azure/cosmos";
import type { CampaignRecord, CampaignStore } from "../../../core/ports";
import { isNotFound, queryAll, readItem, writeIf } from "./cosmos-support";

/** The two items of a campaign's partition: its record, and its counters apart from it. */
const RECORD_ID = "campaign";
const COUNTS_ID = "counts";

interface CampaignItem {
  id: typeof RECORD_ID;
  campaign_id: string;
  kind: "campaign";
  campaign: CampaignRecord;
}

interface CountsItem {
  id: typeof COUNTS_ID;
  campaign_id: string;
  kind: "counts";
  counts: Record<string, number>;
  /** Seconds after its last write that Cosmos DB deletes it (the container has TTL on, no default). */
  ttl?: number;
}

/** Cosmos DB takes at most 10 operations per patch request. */
const MAX_PATCH_OPERATIONS = 10;

/** A counter name as one JSON Pointer segment (RFC 6901, as Cosmos patch paths require). */
export const counterPath = (name: string): string =>
  `/counts/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;

/** Patch operations adding `delta` (zero entries dropped), in requests Cosmos accepts. */
export function incrementsOf(delta: Readonly<Record<string, number>>): PatchOperation[][] {
  const operations: PatchOperation[] = Object.entries(delta)
    .filter(([, n]) => n !== 0)
    .map(([name, n]) => ({ op: "incr", path: counterPath(name), value: n }));
  const requests: PatchOperation[][] = [];
  for (let i = 0; i < operations.length; i += MAX_PATCH_OPERATIONS) {
    requests.push(operations.slice(i, i + MAX_PATCH_OPERATIONS));
  }
  return requests;
}

/**
 * Launched campaigns (CAMPAIGNS_CONTAINER), partitioned by /campaign_id. The record is written
 * under optimistic concurrency (create for version 0, else replace under the read's etag), and
 * never holds the counters: those live in a second item that only server-side `incr` patches
 * change, so concurrent adders never lose an increment and a record write never resets them.
 */
export class CosmosCampaignStore implements CampaignStore {
  constructor(private readonly container: Container) {}

  async get(campaignId: string): Promise<CampaignRecord | undefined> {
    return (await readItem<CampaignItem>(this.container, RECORD_ID, campaignId))?.campaign;
  }

  async put(record: CampaignRecord, expectedVersion: number): Promise<boolean> {
    const item: CampaignItem = {
      id: RECORD_ID,
      campaign_id: record.campaignId,
      kind: "campaign",
      campaign: record,
    };
    if (expectedVersion === 0) return writeIf(() => this.container.items.create(item));
    const current = await readItem<CampaignItem>(this.container, RECORD_ID, record.campaignId);
    if (current?.campaign.version !== expectedVersion || !current._etag) return false;
    const etag = current._etag;
    return writeIf(() =>
      this.container
        .item(RECORD_ID, record.campaignId)
        .replace(item, { accessCondition: { type: "IfMatch", condition: etag } }),
    );
  }

  async list(): Promise<CampaignRecord[]> {
    const items = await queryAll<CampaignItem>(this.container, "SELECT * FROM c WHERE c.kind = @kind", [
      { name: "@kind", value: "campaign" },
    ]);
    return items.map((item) => item.campaign);
  }

  async addCounts(
    campaignId: string,
    delta: Readonly<Record<string, number>>,
    options?: { expiresAt?: Date },
  ): Promise<void> {
    // Each write restarts the item's ttl: it lives until its last write plus the time left now.
    const ttl = options?.expiresAt
      ? Math.max(1, Math.ceil((options.expiresAt.getTime() - Date.now()) / 1000))
      : undefined;
    for (const operations of incrementsOf(delta)) await this.patchCounts(campaignId, operations, ttl);
  }

  async counts(campaignId: string): Promise<Record<string, number>> {
    return { ...(await readItem<CountsItem>(this.container, COUNTS_ID, campaignId))?.counts };
  }

  /** Patches the counters item, creating it first if this is the campaign's first count. */
  private async patchCounts(campaignId: string, operations: PatchOperation[], ttl?: number): Promise<void> {
    const item = this.container.item(COUNTS_ID, campaignId);
    try {
      await item.patch(operations);
      return;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const empty: CountsItem = {
      id: COUNTS_ID,
      campaign_id: campaignId,
      kind: "counts",
      counts: {},
      ...(ttl === undefined ? {} : { ttl }),
    };
    await writeIf(() => this.container.items.create(empty)); // 409: a concurrent adder created it
    await item.patch(operations);
  }
}
