import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type {
  ErasedItems,
  ErasureSubject,
  MessageLog,
  SentMessage,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { type SentMessageRecord, sentMessageOf, sentMessageRecordOf } from "../../../core/records";
import { deleteAll, queryAll, writeIf } from "./dynamodb-support";
import { ONE_YEAR_SECONDS } from "./tables";

interface MessageItem extends SentMessageRecord {
  ttl: number;
}

const toItem = (message: SentMessage): MessageItem => ({
  ...sentMessageRecordOf(message),
  ttl: Math.floor(Date.parse(message.sentAt) / 1000) + ONE_YEAR_SECONDS,
});

const fromItem = (item: MessageItem): SentMessage => sentMessageOf(item);

/**
 * What we sent (MESSAGE_LOG_TABLE). lastTo() is one descending query on the `by_phone` index
 * (phone_number + sent_at): simpler than a conditionally updated "last message" item, and
 * correct when messages are recorded out of order.
 */
export class DynamoDbMessageLog implements MessageLog, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(message: SentMessage): Promise<void> {
    await writeIf(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(message),
          ConditionExpression: "attribute_not_exists(message_id)",
        }),
      ),
    );
  }

  async get(messageId: string): Promise<SentMessage | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { message_id: messageId }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item as MessageItem) : undefined;
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
}
