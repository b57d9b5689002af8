/**
 * Receipts that carry only a message id (End User Messaging's EventBridge events have no
 * destinationPhoneNumber, and rarely our ids) are completed from what we sent: the queued event,
 * as the MessageLog recorded it or as it appears in the same batch.
 */
import { mayLackPhone, type SmsEvent } from "../events/schema";
import type { MessageLog, SentMessage } from "../ports";

/** Whether a receipt lacks something the message log knows: the phone number, or all of our ids. */
export function needsAttribution(event: SmsEvent): boolean {
  if (!mayLackPhone(event)) return false;
  if (event.phoneNumber === undefined) return true;
  return event.campaignId === undefined && event.journeyId === undefined && event.subscriberId === undefined;
}

/**
 * The event with its missing phone number, subscriber, campaign and journey taken from the message
 * it reports on; what the event carries itself wins. Unchanged when there is no message.
 */
export function completeFromMessageLog(event: SmsEvent, message: SentMessage | undefined): SmsEvent {
  if (message === undefined || message.messageId !== event.messageId) return event;
  const completed: SmsEvent = { ...event };
  completed.phoneNumber ??= message.phoneNumber;
  if (completed.subscriberId === undefined && message.subscriberId !== undefined)
    completed.subscriberId = message.subscriberId;
  if (completed.campaignId === undefined && message.campaignId !== undefined)
    completed.campaignId = message.campaignId;
  if (completed.journeyId === undefined && message.journeyId !== undefined)
    completed.journeyId = message.journeyId;
  return completed;
}

export interface AttributedBatch {
  /** The batch in its order, receipts completed where their message is known. */
  events: SmsEvent[];
  /** Event ids of the receipts whose message neither the batch nor the log knows (yet). */
  unattributed: Set<string>;
}

/** The messages this batch itself announces (queued/sent with a number): no lookup, whatever the order. */
function sentInBatch(events: SmsEvent[]): Map<string, SentMessage> {
  const sent = new Map<string, SentMessage>();
  for (const event of events) {
    if ((event.kind !== "queued" && event.kind !== "sent") || !event.messageId || !event.phoneNumber)
      continue;
    if (sent.has(event.messageId)) continue;
    sent.set(event.messageId, {
      messageId: event.messageId,
      phoneNumber: event.phoneNumber,
      sentAt: event.occurredAt,
      ...(event.campaignId === undefined ? {} : { campaignId: event.campaignId }),
      ...(event.journeyId === undefined ? {} : { journeyId: event.journeyId }),
      ...(event.subscriberId === undefined ? {} : { subscriberId: event.subscriberId }),
    });
  }
  return sent;
}

/**
 * Completes every receipt of a batch that needs it: first from the batch's own queued/sent events
 * (so a receipt ahead of its queued event in the same batch resolves), then from the log, one read
 * per message id. Receipts still unknown are reported, never dropped.
 */
export async function attributeBatch(events: SmsEvent[], messages: MessageLog): Promise<AttributedBatch> {
  const known = sentInBatch(events);
  const looked = new Map<string, Promise<SentMessage | undefined>>();
  const unattributed = new Set<string>();
  const out: SmsEvent[] = [];
  for (const event of events) {
    if (!needsAttribution(event)) {
      out.push(event);
      continue;
    }
    const messageId = event.messageId as string;
    let message = known.get(messageId);
    if (message === undefined) {
      let lookup = looked.get(messageId);
      if (lookup === undefined) {
        lookup = messages.get(messageId);
        looked.set(messageId, lookup);
      }
      message = await lookup;
    }
    if (message === undefined) unattributed.add(event.eventId);
    out.push(completeFromMessageLog(event, message));
  }
  return { events: out, unattributed };
}
