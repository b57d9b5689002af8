import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { MessageLog, SentMessage } from "../../../core/ports";
import { type SentMessageRecord, sentMessageOf, sentMessageRecordOf } from "../../../core/records";
import { writeIf } from "./dynamodb-support";
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
export class DynamoDbMessageLog implements MessageLog {
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
