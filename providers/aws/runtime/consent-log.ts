import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import type {
  ConsentEntry,
  ConsentLog,
  ConsentRecord,
  ErasedItems,
  ErasureSubject,
  SubscriberEraser,
} from "../../../core/ports";
import { nextConsentEntry } from "../../../core/processing/consent";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteAll, queryAll } from "./dynamodb-support";
import { CONSENT_ENTRY_PREFIX, CONSENT_EVENT_PREFIX } from "./tables";

interface ConsentItem {
  phone_number: string;
  item: string;
  sequence: number;
  action: ConsentEntry["action"];
  source: ConsentEntry["source"];
  wording: string;
  at: string;
  event_id: string;
  previous_hash: string;
  hash: string;
}

/** Zero-padded, so the sort key orders entries by sequence. */
const entryKey = (sequence: number) => `${CONSENT_ENTRY_PREFIX}${String(sequence).padStart(12, "0")}`;
const eventKey = (eventId: string) => `${CONSENT_EVENT_PREFIX}${eventId}`;

const toItem = (entry: ConsentEntry): ConsentItem => ({
  phone_number: entry.phoneNumber,
  item: entryKey(entry.sequence),
  sequence: entry.sequence,
  action: entry.action,
  source: entry.source,
  wording: entry.wording,
  at: entry.at,
  event_id: entry.eventId,
  previous_hash: entry.previousHash,
  hash: entry.hash,
});

const fromItem = (item: ConsentItem): ConsentEntry => ({
  phoneNumber: item.phone_number,
  action: item.action,
  source: item.source,
  wording: item.wording,
  at: item.at,
  eventId: item.event_id,
  sequence: item.sequence,
  previousHash: item.previous_hash,
  hash: item.hash,
});

/** A transaction lost to a concurrent writer (a condition or a conflict): read the chain again and retry. */
const lostRace = (error: unknown): boolean =>
  (error as { name?: string }).name === "TransactionCanceledException";

export interface DynamoDbConsentLogOptions {
  /** Attempts before giving up on a very contended number (default 25). */
  maxAttempts?: number;
  /** Upper bound of the random pause between attempts, in ms (default 50). */
  maxBackoffMs?: number;
}

/** The consent log in DynamoDB (CONSENT_LOG_TABLE): conditional, transactional appends per number. */
export class DynamoDbConsentLog implements ConsentLog, SubscriberEraser {
  private readonly maxAttempts: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbConsentLogOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 25;
    this.maxBackoffMs = options.maxBackoffMs ?? 50;
  }

  async append(record: ConsentRecord): Promise<ConsentEntry> {
    for (let attempt = 1; ; attempt++) {
      const existing = await this.entryOfEvent(record.phoneNumber, record.eventId);
      if (existing) return existing;
      const entry = nextConsentEntry(record, await this.lastEntry(record.phoneNumber));
      try {
        await this.write(entry);
        return entry;
      } catch (error) {
        if (!lostRace(error) || attempt >= this.maxAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * this.maxBackoffMs));
      }
    }
  }

  /** The number's whole partition: its entries and event markers (the head is kept in the tombstone). */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const items = await queryAll<ConsentItem>(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: "phone_number = :p",
      ExpressionAttributeValues: { ":p": subject.phoneNumber },
      ProjectionExpression: "phone_number, #item",
      ExpressionAttributeNames: { "#item": "item" },
      ConsistentRead: true,
    });
    await deleteAll(
      this.documents,
      this.tableName,
      items.map((item) => ({ phone_number: item.phone_number, item: item.item })),
    );
    const entries = items.filter((item) => item.item.startsWith(CONSENT_ENTRY_PREFIX));
    return erasedItems(
      "consent-log",
      entries.map((item) => `${subject.phoneNumber}/${item.item}`),
    );
  }

  async entriesFor(phoneNumber: string): Promise<ConsentEntry[]> {
    const items = await queryAll<ConsentItem>(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: "phone_number = :p AND begins_with(#item, :prefix)",
      ExpressionAttributeNames: { "#item": "item" },
      ExpressionAttributeValues: { ":p": phoneNumber, ":prefix": CONSENT_ENTRY_PREFIX },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }

  /** The entry an event already made, if it made one. */
  private async entryOfEvent(phoneNumber: string, eventId: string): Promise<ConsentEntry | undefined> {
    const marker = await this.getItem<{ sequence: number }>(phoneNumber, eventKey(eventId));
    if (!marker) return undefined;
    const item = await this.getItem<ConsentItem>(phoneNumber, entryKey(marker.sequence));
    return item ? fromItem(item) : undefined;
  }

  private async lastEntry(phoneNumber: string): Promise<ConsentEntry | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "phone_number = :p AND begins_with(#item, :prefix)",
        ExpressionAttributeNames: { "#item": "item" },
        ExpressionAttributeValues: { ":p": phoneNumber, ":prefix": CONSENT_ENTRY_PREFIX },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const last = Items?.[0] as ConsentItem | undefined;
    return last ? fromItem(last) : undefined;
  }

  /** The entry at its sequence and the event's marker, together, each only if not already there. */
  private write(entry: ConsentEntry): Promise<unknown> {
    const notThere = {
      ConditionExpression: "attribute_not_exists(#item)",
      ExpressionAttributeNames: { "#item": "item" },
    };
    return this.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: toItem(entry), ...notThere } },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                phone_number: entry.phoneNumber,
                item: eventKey(entry.eventId),
                sequence: entry.sequence,
              },
              ...notThere,
            },
          },
        ],
      }),
    );
  }

  private async getItem<T>(phoneNumber: string, item: string): Promise<T | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { phone_number: phoneNumber, item },
        ConsistentRead: true,
      }),
    );
    return Item as T | undefined;
  }
}
