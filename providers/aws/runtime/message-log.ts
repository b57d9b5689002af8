import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import type {
  ErasedItems,
  ErasureSubject,
  MessageLog,
  SentMessage,
  SentRange,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import {
  firstOfEachId,
  type SentMessageRecord,
  sentMessageOf,
  sentMessageRecordOf,
} from "../../../core/records";
import { BatchLoader } from "./batch-loader";
import { batchGetAll, deleteAll, queryAll, writeIf } from "./dynamodb-support";
import { ONE_YEAR_SECONDS } from "./tables";

interface MessageItem extends SentMessageRecord {
  ttl: number;
}

const toItem = (message: SentMessage): MessageItem => ({
  ...sentMessageRecordOf(message),
  ttl: Math.floor(Date.parse(message.sentAt) / 1000) + ONE_YEAR_SECONDS,
});

const fromItem = (item: MessageItem): SentMessage => sentMessageOf(item);

/** DynamoDB's most actions per TransactWriteItems. */
const TRANSACT_WRITE_LIMIT = 100;
const IS_NEW = "attribute_not_exists(message_id)";

const isTransactionCanceled = (error: unknown): boolean =>
  (error as { name?: string } | undefined)?.name === "TransactionCanceledException";

/**
 * What we sent (MESSAGE_LOG_TABLE). lastTo() is one descending query on the `by_phone` index
 * (phone_number + sent_at): simpler than a conditionally updated "last message" item, and
 * correct when messages are recorded out of order; sentBetween() an ascending one on its range. recordAll() writes up to 100 new messages in
 * one conditional transaction; get() calls made in the same turn share one BatchGetItem.
 */
export class DynamoDbMessageLog implements MessageLog, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private readonly reads = new BatchLoader<SentMessage>(async (ids) => {
    const items = await batchGetAll<MessageItem>(
      this.documents,
      this.tableName,
      ids.map((message_id) => ({ message_id })),
    );
    return new Map(items.map((item) => [item.message_id, fromItem(item)]));
  });

  async record(message: SentMessage): Promise<void> {
    await writeIf(() =>
      this.documents.send(
        new PutCommand({ TableName: this.tableName, Item: toItem(message), ConditionExpression: IS_NEW }),
      ),
    );
  }

  /**
   * All-or-nothing conditional puts, so a message already logged is never overwritten; when one
   * is there (a replay) or a concurrent writer raced, that chunk falls back to record() one by one.
   */
  async recordAll(messages: SentMessage[]): Promise<void> {
    const fresh = firstOfEachId(messages);
    for (let start = 0; start < fresh.length; start += TRANSACT_WRITE_LIMIT) {
      const chunk = fresh.slice(start, start + TRANSACT_WRITE_LIMIT);
      if (chunk.length === 1) {
        await this.record(chunk[0]);
        continue;
      }
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: chunk.map((message) => ({
              Put: { TableName: this.tableName, Item: toItem(message), ConditionExpression: IS_NEW },
            })),
          }),
        );
      } catch (error) {
        if (!isTransactionCanceled(error)) throw error;
        for (const message of chunk) await this.record(message);
      }
    }
  }

  get(messageId: string): Promise<SentMessage | undefined> {
    return this.reads.get(messageId);
  }

  /** Everything sent to the number, found through `by_phone`. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const items = await queryAll<MessageItem>(this.documents, {
      TableName: this.tableName,
      IndexName: "by_phone",
      KeyConditionExpression: "phone_number = :p",
      ExpressionAttributeValues: { ":p": subject.phoneNumber },
    });
    const ids = items.map((item) => item.message_id);
    await deleteAll(
      this.documents,
      this.tableName,
      ids.map((message_id) => ({ message_id })),
    );
    return erasedItems("message-log", ids);
  }

  async lastTo(phoneNumber: string): Promise<SentMessage | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "by_phone",
        KeyConditionExpression: "phone_number = :p",
        ExpressionAttributeValues: { ":p": phoneNumber },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = Items?.[0] as MessageItem | undefined;
    return item && fromItem(item);
  }

  async sentBetween(phoneNumber: string, range: SentRange): Promise<SentMessage[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "by_phone",
        KeyConditionExpression: "phone_number = :p AND sent_at BETWEEN :from AND :until",
        ExpressionAttributeValues: { ":p": phoneNumber, ":from": range.from, ":until": range.until },
        ScanIndexForward: true,
        Limit: range.limit,
      }),
    );
    return ((Items ?? []) as MessageItem[]).map(fromItem);
  }
}
