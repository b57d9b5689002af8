import type { SmsEvent } from "../../core/events/schema";

/**
 * What a message log should hold for a queued event sent in `campaignId`: written out here, not
 * taken from core's own mapping, so a test of the log can fail when that mapping drifts.
 */
export const expectedSentMessage = (
  event: Pick<SmsEvent, "messageId" | "phoneNumber" | "occurredAt" | "subscriberId">,
  campaignId: string,
) => ({
  messageId: event.messageId,
  phoneNumber: event.phoneNumber,
  sentAt: event.occurredAt,
  campaignId,
  subscriberId: event.subscriberId,
});
