import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import type {
  ErasedItems,
  ErasureSubject,
  Subscriber,
  SubscriberDirectory,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteAll, queryAll, withoutUndefined } from "./dynamodb-support";

interface SubscriberItem {
  subscriber_id: string;
  phone_number: string;
  time_zone?: string;
  attributes: Record<string, string>;
}

const toItem = (s: Subscriber): SubscriberItem =>
  withoutUndefined({
    subscriber_id: s.subscriberId,
    phone_number: s.phoneNumber,
    time_zone: s.timeZone,
    attributes: s.attributes,
  });

const fromItem = (item: SubscriberItem): Subscriber =>
  withoutUndefined({
    subscriberId: item.subscriber_id,
    phoneNumber: item.phone_number,
    timeZone: item.time_zone,
    attributes: item.attributes ?? {},
  });

/** Subscribers (SUBSCRIBERS_TABLE); `by_phone` resolves an inbound number. */
export class DynamoDbSubscriberDirectory implements SubscriberDirectory, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(subscriberId: string): Promise<Subscriber | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { subscriber_id: subscriberId },
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item as SubscriberItem) : undefined;
  }

  async findByPhone(phoneNumber: string): Promise<Subscriber | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "by_phone",
        KeyConditionExpression: "phone_number = :p",
        ExpressionAttributeValues: { ":p": phoneNumber },
        Limit: 1,
      }),
    );
    const item = Items?.[0] as SubscriberItem | undefined;
    return item && fromItem(item);
  }

  async upsert(subscriber: Subscriber): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: toItem(subscriber) }));
  }

  /** The subject's ids and every record `by_phone` finds for the number. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const byPhone = await queryAll<SubscriberItem>(this.documents, {
      TableName: this.tableName,
      IndexName: "by_phone",
      KeyConditionExpression: "phone_number = :p",
      ExpressionAttributeValues: { ":p": subject.phoneNumber },
    });
    const candidates = new Set([...subject.subscriberIds, ...byPhone.map((item) => item.subscriber_id)]);
    const present: string[] = [];
    for (const id of candidates) if (await this.get(id)) present.push(id);
    await deleteAll(
      this.documents,
      this.tableName,
      present.map((subscriber_id) => ({ subscriber_id })),
    );
    return erasedItems("subscribers", present);
  }

  async *list(): AsyncIterable<Subscriber> {
    for await (const page of paginateScan({ client: this.documents }, { TableName: this.tableName })) {
      for (const item of page.Items ?? []) yield fromItem(item as SubscriberItem);
    }
  }
}
