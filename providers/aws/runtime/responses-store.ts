import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type {
  ErasedItems,
  ErasureSubject,
  ResponseRecord,
  ResponsesStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteAll, queryAll, withoutUndefined, writeIf } from "./dynamodb-support";

/** Marks items whose partition key is the phone number because the subscriber was unknown. */
const SUBSCRIBER_IS_PHONE = "subscriber_is_phone";

type StoredResponse = ResponseRecord & { [SUBSCRIBER_IS_PHONE]?: boolean };

const toItem = (record: ResponseRecord): StoredResponse =>
  withoutUndefined(
    record.subscriber_id
      ? { ...record }
      : { ...record, subscriber_id: record.phone_number, [SUBSCRIBER_IS_PHONE]: true },
  );

const fromItem = (item: StoredResponse): ResponseRecord => {
  const { [SUBSCRIBER_IS_PHONE]: isPhone, ...record } = item;
  if (isPhone) delete record.subscriber_id;
  return record;
};

const byTimestamp = (a: ResponseRecord, b: ResponseRecord) =>
  a.response_timestamp.localeCompare(b.response_timestamp) || a.event_id.localeCompare(b.event_id);

/**
 * Replies in DynamoDB (see RESPONSES_TABLE). put() first looks the event up by id, so a replay
 * whose subscriber was resolved differently still answers "exists", then writes conditionally,
 * so two concurrent first deliveries cannot both answer "created".
 */
export class DynamoDbResponsesStore implements ResponsesStore, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(record: ResponseRecord): Promise<"created" | "exists"> {
    if (await this.get(record.event_id)) return "exists";
    const created = await writeIf(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: "attribute_not_exists(event_id)",
        }),
      ),
    );
    return created ? "created" : "exists";
  }

  async get(eventId: string): Promise<ResponseRecord | undefined> {
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "by_event",
        KeyConditionExpression: "event_id = :id",
        ExpressionAttributeValues: { ":id": eventId },
        Limit: 1,
      }),
    );
    const item = page.Items?.[0] as StoredResponse | undefined;
    return item && fromItem(item);
  }

  async bySubscriber(subscriberId: string): Promise<ResponseRecord[]> {
    const items = await queryAll<StoredResponse>(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: "subscriber_id = :s",
      ExpressionAttributeValues: { ":s": subscriberId },
      ConsistentRead: true,
    });
    return items.map(fromItem).sort(byTimestamp);
  }

  /** The subject's partitions: each subscriber id's, and the number's (replies of an unknown sender). */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys: { subscriber_id: string; event_id: string }[] = [];
    for (const partition of [...subject.subscriberIds, subject.phoneNumber]) {
      const items = await queryAll<StoredResponse>(this.documents, {
        TableName: this.tableName,
        KeyConditionExpression: "subscriber_id = :s",
        ExpressionAttributeValues: { ":s": partition },
        ProjectionExpression: "subscriber_id, event_id",
        ConsistentRead: true,
      });
      keys.push(...items.map((item) => ({ subscriber_id: partition, event_id: item.event_id })));
    }
    await deleteAll(this.documents, this.tableName, keys);
    return erasedItems(
      "responses",
      keys.map((key) => key.event_id),
    );
  }

  async byCampaign(campaignId: string): Promise<ResponseRecord[]> {
    const items = await queryAll<StoredResponse>(this.documents, {
      TableName: this.tableName,
      IndexName: "by_campaign",
      KeyConditionExpression: "campaign_id = :c",
      ExpressionAttributeValues: { ":c": campaignId },
    });
    return items.map(fromItem);
  }
}
