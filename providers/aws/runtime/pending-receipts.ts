import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type {
  ErasedItems,
  ErasureSubject,
  ParkedReceipt,
  PendingReceiptStore,
  ReceiptClaim,
  SmsEvent,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { PARKED_RECEIPT_TTL_SECONDS, PARKING_CONSUMERS } from "../../../core/processing/parking";
import { BatchLoader } from "./batch-loader";
import { batchDeleteAll, batchGetAll, deleteAll, queryAll, writeIf } from "./dynamodb-support";
import { PENDING_RECEIPTS_BY_AGE } from "./tables";

interface ParkedItem {
  consumer: string;
  event_id: string;
  parked_at: string;
  event: SmsEvent;
  ttl: number;
}

const toItem = (consumer: string, event: SmsEvent, parkedAt: string): ParkedItem => ({
  consumer,
  event_id: event.eventId,
  parked_at: parkedAt,
  event,
  ttl: Math.floor(Date.parse(parkedAt) / 1000) + PARKED_RECEIPT_TTL_SECONDS,
});

/**
 * Parked receipts (PENDING_RECEIPTS_TABLE), keyed by consumer + event id so parking is a put
 * conditioned on the key being new (the first parkedAt stays). list() queries the `by_parked_at`
 * index oldest first, then keeps only the keys a consistent read still finds: the index lags, and
 * a receipt a batch just removed must not be counted again by the next one.
 */
export class DynamoDbPendingReceiptStore implements PendingReceiptStore, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async park(consumer: string, event: SmsEvent, parkedAt: string): Promise<void> {
    await writeIf(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(consumer, event, parkedAt),
          ConditionExpression: "attribute_not_exists(event_id)",
        }),
      ),
    );
  }

  /** Receipts carrying the number or one of the subject's ids, in each consumer's partition. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys: { consumer: string; event_id: string }[] = [];
    const ids = Object.fromEntries(subject.subscriberIds.map((id, i) => [`:s${i}`, id]));
    const bySubscriber =
      Object.keys(ids).length > 0 ? ` OR #e.subscriberId IN (${Object.keys(ids).join(", ")})` : "";
    for (const consumer of PARKING_CONSUMERS) {
      const items = await queryAll<ParkedItem>(this.documents, {
        TableName: this.tableName,
        KeyConditionExpression: "consumer = :c",
        FilterExpression: `#e.phoneNumber = :p${bySubscriber}`,
        ExpressionAttributeNames: { "#e": "event" },
        ExpressionAttributeValues: { ":c": consumer, ":p": subject.phoneNumber, ...ids },
        ProjectionExpression: "consumer, event_id",
        ConsistentRead: true,
      });
      keys.push(...items.map((item) => ({ consumer, event_id: item.event_id })));
    }
    await deleteAll(this.documents, this.tableName, keys);
    return erasedItems(
      "pending-receipts",
      keys.map((key) => `${key.consumer}/${key.event_id}`),
    );
  }

  async list(consumer: string, limit: number): Promise<ParkedReceipt[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_RECEIPTS_BY_AGE,
        KeyConditionExpression: "consumer = :c",
        ExpressionAttributeValues: { ":c": consumer },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    const listed = (Items ?? []) as ParkedItem[];
    const present = await this.stillParked(consumer, listed);
    return listed
      .filter((item) => present.has(item.event_id))
      .map((item) => ({ event: item.event, parkedAt: item.parked_at }));
  }

  /** The event ids of `items` the table still holds (consistent reads). */
  private async stillParked(consumer: string, items: ParkedItem[]): Promise<Set<string>> {
    const found = await batchGetAll<Pick<ParkedItem, "event_id">>(
      this.documents,
      this.tableName,
      items.map((item) => ({ consumer, event_id: item.event_id })),
      "event_id",
    );
    return new Set(found.map((item) => item.event_id));
  }

  /** A conditional update of the claim: the item exists, and no other claimant holds it now. */
  async claim(consumer: string, eventId: string, claim: ReceiptClaim): Promise<boolean> {
    return writeIf(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { consumer, event_id: eventId },
          UpdateExpression: "SET claimed_by = :by, claimed_until = :until",
          ConditionExpression:
            "attribute_exists(event_id) AND (attribute_not_exists(claimed_until) OR claimed_until <= :now OR claimed_by = :by)",
          ExpressionAttributeValues: { ":by": claim.claimant, ":until": claim.until, ":now": claim.now },
        }),
      ),
    );
  }

  /** Removals asked for in the same turn (a batch settling its receipts) share BatchWriteItems. */
  async remove(consumer: string, eventId: string): Promise<void> {
    await this.removals.get(JSON.stringify([consumer, eventId]));
  }

  private readonly removals = new BatchLoader<void>(async (keys) => {
    await batchDeleteAll(
      this.documents,
      this.tableName,
      keys.map((key) => {
        const [consumer, event_id] = JSON.parse(key) as [string, string];
        return { consumer, event_id };
      }),
    );
    return new Map<string, void>();
  });
}
