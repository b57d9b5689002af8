import { BulkOperationType, type Container } from "@azure/cosmos";
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
import { cosmosId, deleteWhere, queryAll, writeIf } from "./cosmos-support";

/** Cosmos' answer to a create whose id is taken: the message is already logged, and stays. */
const CONFLICT = 409;

/** Partitioned by /phone_number: linking a reply (lastTo) reads one partition. */
interface MessageItem extends SentMessageRecord {
  id: string;
}

const toItem = (message: SentMessage): MessageItem => ({
  id: cosmosId(message.messageId),
  ...sentMessageRecordOf(message),
});

const fromItem = (item: MessageItem): SentMessage => sentMessageOf(item);

/** What we sent (MESSAGE_LOG_CONTAINER); the first record of a message id wins (create, 409 = kept). */
export class CosmosMessageLog implements MessageLog, SubscriberEraser {
  constructor(private readonly container: Container) {}

  async record(message: SentMessage): Promise<void> {
    await writeIf(() => this.container.items.create(toItem(message)));
  }

  /**
   * record() for each message in Cosmos' bulk requests (creates, not atomic): a 409 is a message
   * already logged (the replay path), any other failure is thrown so the records are retried.
   */
  async recordAll(messages: SentMessage[]): Promise<void> {
    const fresh = firstOfEachId(messages);
    if (fresh.length === 0) return;
    const results = await this.container.items.executeBulkOperations(
      fresh.map((message) => ({
        operationType: BulkOperationType.Create,
        // The container's partition key (/phone_number), which executeBulkOperations needs stated.
        partitionKey: message.phoneNumber,
        // Spread: an object literal type, which JSONObject accepts (the MessageItem interface is not).
        resourceBody: { ...toItem(message) },
      })),
    );
    const failed = results.find((result) => result.error && result.error.code !== CONFLICT);
    if (failed) throw failed.error;
  }

  async get(messageId: string): Promise<SentMessage | undefined> {
    const [item] = await queryAll<MessageItem>(this.container, "SELECT * FROM c WHERE c.id = @id", [
      { name: "@id", value: cosmosId(messageId) },
    ]);
    return item && fromItem(item);
  }

  async lastTo(phoneNumber: string): Promise<SentMessage | undefined> {
    const [item] = await queryAll<MessageItem>(
      this.container,
      "SELECT TOP 1 * FROM c WHERE c.phone_number = @p ORDER BY c.sent_at DESC",
      [{ name: "@p", value: phoneNumber }],
      phoneNumber,
    );
    return item && fromItem(item);
  }

  /** One query in the number's partition. */
  async sentBetween(phoneNumber: string, range: SentRange): Promise<SentMessage[]> {
    const items = await queryAll<MessageItem>(
      this.container,
      `SELECT TOP ${Math.max(1, Math.trunc(range.limit))} * FROM c WHERE c.phone_number = @p AND c.sent_at >= @from AND c.sent_at <= @until ORDER BY c.sent_at ASC`,
      [
        { name: "@p", value: phoneNumber },
        { name: "@from", value: range.from },
        { name: "@until", value: range.until },
      ],
      phoneNumber,
    );
    return items.map(fromItem);
  }

  /** The number's partition: everything sent to it. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const items = await deleteWhere<MessageItem>(this.container, "phone_number", "c.phone_number = @p", [
      { name: "@p", value: subject.phoneNumber },
    ]);
    return erasedItems(
      "message-log",
      items.map((item) => item.message_id),
    );
  }
}
