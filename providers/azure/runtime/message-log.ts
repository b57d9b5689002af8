import type { Container } from "@azure/cosmos";
import type { MessageLog, SentMessage } from "../../../core/ports";
import { type SentMessageRecord, sentMessageOf, sentMessageRecordOf } from "../../../core/records";
import { cosmosId, queryAll, writeIf } from "./cosmos-support";

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
export class CosmosMessageLog implements MessageLog {
  constructor(private readonly container: Container) {}

  async record(message: SentMessage): Promise<void> {
    await writeIf(() => this.container.items.create(toItem(message)));
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
}
