import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { ParkedReceipt, PendingReceiptStore, SmsEvent } from "../../../core/ports";
import { PARKED_RECEIPT_TTL_SECONDS } from "../../../core/processing/parking";
import { writeIf } from "./dynamodb-support";
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
 * index oldest first; it is eventually consistent, which only delays a resolution by one batch.
 */
export class DynamoDbPendingReceiptStore implements PendingReceiptStore {
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
    return ((Items ?? []) as ParkedItem[]).map((item) => ({ event: item.event, parkedAt: item.parked_at }));
  }

  async remove(consumer: string, eventId: string): Promise<void> {
    await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: { consumer, event_id: eventId } }),
    );
  }
}
