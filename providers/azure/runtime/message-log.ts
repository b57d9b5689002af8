import type { Container } from "@azure/cosmos";
import type { MessageLog, SentMessage } from "../../../core/ports";
import { cosmosId, queryAll, withoutUndefined, writeIf } from "./cosmos-support";

/** Partitioned by /phone_number: linking a reply (lastTo) reads one partition. */
interface MessageItem {
  id: string;
  message_id: string;
  phone_number: string;
  sent_at: string;
  campaign_id?: string;
  journey_id?: string;
  subscriber_id?: string;
}

const toItem = (message: SentMessage): MessageItem =>
  withoutUndefined({
    id: cosmosId(message.messageId),
    message_id: message.messageId,
    phone_number: message.phoneNumber,
    sent_at: message.sentAt,
    campaign_id: message.campaignId,
    journey_id: message.journeyId,
    subscriber_id: message.subscriberId,
  });

const fromItem = (item: MessageItem): SentMessage =>
  withoutUndefined({
    messageId: item.message_id,
    phoneNumber: item.phone_number,
    sentAt: item.sent_at,
    campaignId: item.campaign_id,
    journeyId: item.journey_id,
    subscriberId: item.subscriber_id,
  });

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
