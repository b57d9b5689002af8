import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { CampaignRecord, CampaignStore } from "../../../core/ports";
import { withoutUndefined, writeIf } from "./dynamodb-support";
import { TTL_ATTRIBUTE } from "./tables";

/** The two items of a campaign (see CAMPAIGNS_TABLE). */
export const CAMPAIGN_ITEM = { record: "record", counters: "counters" } as const;

/** Counter attributes carry this prefix, so the counters item's keys never clash with a counter name. */
const COUNTER_PREFIX = "c:";

interface CampaignItem {
  campaign_id: string;
  item: typeof CAMPAIGN_ITEM.record;
  journey_name: string;
  steps: CampaignRecord["steps"];
  status: CampaignRecord["status"];
  audience_key: string;
  enrolled_at?: string;
  paused_by?: CampaignRecord["pausedBy"];
  breaker_trip?: CampaignRecord["breakerTrip"];
  resumed_at?: string;
  created_at: string;
  updated_at: string;
  version: number;
}

const toItem = (record: CampaignRecord): CampaignItem =>
  withoutUndefined({
    campaign_id: record.campaignId,
    item: CAMPAIGN_ITEM.record,
    journey_name: record.journeyName,
    steps: record.steps,
    status: record.status,
    audience_key: record.audienceKey,
    enrolled_at: record.enrolledAt,
    paused_by: record.pausedBy,
    breaker_trip: record.breakerTrip,
    resumed_at: record.resumedAt,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    version: record.version,
  });

const fromItem = (item: CampaignItem): CampaignRecord =>
  withoutUndefined({
    campaignId: item.campaign_id,
    journeyName: item.journey_name,
    steps: item.steps,
    status: item.status,
    audienceKey: item.audience_key,
    enrolledAt: item.enrolled_at,
    pausedBy: item.paused_by,
    breakerTrip: item.breaker_trip,
    resumedAt: item.resumed_at,
    createdAt: item.created_at,
    updatedAt: item.updated_at,
    version: item.version,
  });

/**
 * `ADD #c0 :c0, #c1 :c1` with its names and values (a zero is kept, as the memory store keeps it),
 * and `SET #ttl = :ttl` (epoch seconds) when the counters expire.
 */
export const addCountersExpression = (delta: Readonly<Record<string, number>>, expiresAt?: Date) => {
  const entries = Object.entries(delta);
  const names: Record<string, string> = Object.fromEntries(
    entries.map(([name], i) => [`#c${i}`, COUNTER_PREFIX + name]),
  );
  const values: Record<string, number> = Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n]));
  let expression = `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(", ")}`;
  if (expiresAt) {
    names["#ttl"] = TTL_ATTRIBUTE;
    values[":ttl"] = Math.ceil(expiresAt.getTime() / 1000);
    expression += " SET #ttl = :ttl";
  }
  return {
    empty: entries.length === 0,
    UpdateExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/**
 * Launched campaigns (CAMPAIGNS_TABLE): the record under an optimistic version condition, the
 * counters in their own item, changed only by DynamoDB's atomic `ADD` (and given a TTL when they
 * expire).
 */
export class DynamoDbCampaignStore implements CampaignStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(campaignId: string): Promise<CampaignRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { campaign_id: campaignId, item: CAMPAIGN_ITEM.record },
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item as CampaignItem) : undefined;
  }

  put(record: CampaignRecord, expectedVersion: number): Promise<boolean> {
    const condition =
      expectedVersion === 0
        ? { ConditionExpression: "attribute_not_exists(campaign_id)" }
        : {
            ConditionExpression: "version = :expected",
            ExpressionAttributeValues: { ":expected": expectedVersion },
          };
    return writeIf(() =>
      this.documents.send(new PutCommand({ TableName: this.tableName, Item: toItem(record), ...condition })),
    );
  }

  async list(): Promise<CampaignRecord[]> {
    const records: CampaignRecord[] = [];
    const pages = paginateScan(
      { client: this.documents },
      {
        TableName: this.tableName,
        FilterExpression: "#item = :record",
        ExpressionAttributeNames: { "#item": "item" },
        ExpressionAttributeValues: { ":record": CAMPAIGN_ITEM.record },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) records.push(...((page.Items ?? []) as CampaignItem[]).map(fromItem));
    return records;
  }

  async addCounts(
    campaignId: string,
    delta: Readonly<Record<string, number>>,
    options?: { expiresAt?: Date },
  ): Promise<void> {
    const { empty, ...expression } = addCountersExpression(delta, options?.expiresAt);
    if (empty) return;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { campaign_id: campaignId, item: CAMPAIGN_ITEM.counters },
        ...expression,
      }),
    );
  }

  async counts(campaignId: string): Promise<Record<string, number>> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { campaign_id: campaignId, item: CAMPAIGN_ITEM.counters },
        ConsistentRead: true,
      }),
    );
    return Object.fromEntries(
      Object.entries(Item ?? {})
        .filter(([name]) => name.startsWith(COUNTER_PREFIX))
        .map(([name, n]) => [name.slice(COUNTER_PREFIX.length), Number(n)]),
    );
  }
}
