import type { Container } from "@azure/cosmos";
import type {
  ErasedItems,
  ErasureSubject,
  ResponseRecord,
  ResponsesStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import {
  type CosmosSystemFields,
  cosmosId,
  deleteWhere,
  queryAll,
  subscriberIdsIn,
  withoutSystemFields,
  withoutUndefined,
  writeIf,
} from "./cosmos-support";

/** Marks items whose partition key is the phone number because the subscriber was unknown. */
const SUBSCRIBER_IS_PHONE = "subscriber_is_phone";

/**
 * The stored item. Cosmos DB's `ttl` is seconds to live after the last write, not an epoch like
 * the record's `ttl`, so the record's expiry is kept as `expires_at` and `ttl` is what remains.
 */
interface ResponseItem extends Omit<ResponseRecord, "ttl"> {
  id: string;
  subscriber_id: string;
  [SUBSCRIBER_IS_PHONE]?: boolean;
  expires_at: number;
  ttl: number;
}

const toItem = (record: ResponseRecord, nowSeconds: number): ResponseItem =>
  withoutUndefined({
    ...record,
    id: cosmosId(record.event_id),
    subscriber_id: record.subscriber_id ?? record.phone_number,
    [SUBSCRIBER_IS_PHONE]: record.subscriber_id ? undefined : true,
    expires_at: record.ttl,
    ttl: Math.max(1, Math.floor(record.ttl - nowSeconds)),
  });

const fromItem = (stored: ResponseItem & CosmosSystemFields): ResponseRecord => {
  const { id, [SUBSCRIBER_IS_PHONE]: isPhone, expires_at, ttl, ...record } = withoutSystemFields(stored);
  const response: ResponseRecord = { ...record, ttl: expires_at };
  if (isPhone) delete response.subscriber_id;
  return response;
};

const byTimestamp = (a: ResponseRecord, b: ResponseRecord) =>
  a.response_timestamp.localeCompare(b.response_timestamp) || a.event_id.localeCompare(b.event_id);

/**
 * Replies in a Cosmos DB container partitioned by /subscriber_id (RESPONSES_CONTAINER). put()
 * looks the event up by id first, so a replay whose subscriber was resolved differently (another
 * partition) still answers "exists"; the create itself fails with 409 for a concurrent duplicate.
 */
export class CosmosResponsesStore implements ResponsesStore, SubscriberEraser {
  constructor(
    private readonly container: Container,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  async put(record: ResponseRecord): Promise<"created" | "exists"> {
    if (await this.get(record.event_id)) return "exists";
    const created = await writeIf(() => this.container.items.create(toItem(record, this.nowSeconds())));
    return created ? "created" : "exists";
  }

  async get(eventId: string): Promise<ResponseRecord | undefined> {
    const [item] = await queryAll<ResponseItem>(this.container, "SELECT * FROM c WHERE c.id = @id", [
      { name: "@id", value: cosmosId(eventId) },
    ]);
    return item && fromItem(item);
  }

  async bySubscriber(subscriberId: string): Promise<ResponseRecord[]> {
    const items = await queryAll<ResponseItem>(
      this.container,
      "SELECT * FROM c WHERE c.subscriber_id = @s",
      [{ name: "@s", value: subscriberId }],
      subscriberId,
    );
    return items.map(fromItem).sort(byTimestamp);
  }

  async byCampaign(campaignId: string): Promise<ResponseRecord[]> {
    const items = await queryAll<ResponseItem>(this.container, "SELECT * FROM c WHERE c.campaign_id = @c", [
      { name: "@c", value: campaignId },
    ]);
    return items.map(fromItem);
  }

  /** Every reply of the number or of the subject's subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const ids = subscriberIdsIn("subscriber_id", subject.subscriberIds);
    const items = await deleteWhere<{ id: string; event_id: string }>(
      this.container,
      "subscriber_id",
      `c.phone_number = @p OR ${ids.clause}`,
      [{ name: "@p", value: subject.phoneNumber }, ...ids.parameters],
    );
    return erasedItems(
      "responses",
      items.map((item) => item.event_id),
    );
  }
}
