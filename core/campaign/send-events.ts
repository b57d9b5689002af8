import { encodeEvent, partitionKeyOf } from "../events/decode";
import type { MessageType, ProviderName, SmsEvent } from "../events/schema";
import type { EventPublisher } from "../ports";
import type { MessageCost } from "./pricing";
import { type SendIdentity, sendEventIdOf } from "./send-key";

export interface AcceptedSend {
  identity: SendIdentity;
  sendKey: string;
  provider: ProviderName;
  phoneNumber: string;
  messageId: string;
  parts: number;
  cost: MessageCost;
  countryCode?: string;
  messageType: MessageType;
  occurredAt: Date;
}

/**
 * The canonical event for a send the provider accepted. It is `queued` by default: the provider's
 * own status events bring `sent`/`delivered`, so analytics counts each send once on every cloud.
 */
export function sendEventOf(send: AcceptedSend, kind: "queued" | "sent" = "queued"): SmsEvent {
  const event: SmsEvent = {
    eventId: sendEventIdOf(send.sendKey, kind),
    schemaVersion: 1,
    kind,
    occurredAt: send.occurredAt.toISOString(),
    provider: send.provider,
    phoneNumber: send.phoneNumber,
    subscriberId: send.identity.subscriberId,
    messageId: send.messageId,
    parts: send.parts,
    priceUsd: send.cost.priceUsd,
    carrierFeeUsd: send.cost.carrierFeeUsd,
    messageType: send.messageType,
  };
  if (send.identity.campaignId) event.campaignId = send.identity.campaignId;
  if (send.identity.journeyId) event.journeyId = send.identity.journeyId;
  if (send.countryCode) event.countryCode = send.countryCode;
  return event;
}

/** Publishes one event; returns false when the stream reported it failed (the send stands). */
export async function publishSendEvent(publisher: EventPublisher, event: SmsEvent): Promise<boolean> {
  const result = await publisher.publish([{ partitionKey: partitionKeyOf(event), data: encodeEvent(event) }]);
  return result.failed.length === 0;
}
