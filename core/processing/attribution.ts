/**
 * Receipts that carry only a message id (End User Messaging's EventBridge events have no
 * destinationPhoneNumber, and rarely our ids) are completed from what we sent: the queued event,
 * as the MessageLog recorded it or as it appears in the same batch.
 */
import { mayLackPhone, type SmsEvent } from "../events/schema";
import type { Clock, MessageLog, SentMessage } from "../ports";

/**
 * How long a consumer waits for the message of a receipt it cannot attribute yet: the queued event
 * travels on another shard and is logged by the responses consumer, so it may trail the receipt by
 * that consumer's lag. About 16 s in all, well inside the functions' timeouts; only a batch with
 * an unknown message waits. Receipts still unknown then are parked when the consumer has a
 * PendingReceiptStore (every cloud's analytics and archive do; see parking.ts) and resolved by a
 * later batch, or counted as unattributed after PARKED_RECEIPT_MAX_AGE_MS; without one they are
 * counted as unattributed at once. Never dropped either way.
 */
export const ATTRIBUTION_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000] as const;

export interface AttributionOptions {
  /** With a clock, unknown messages are looked up again after each delay. */
  clock?: Clock;
  retryDelaysMs?: readonly number[];
}

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
  /** Every message the batch announced or the log returned, by id: later readers need not ask again. */
  known: ReadonlyMap<string, SentMessage>;
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
 * per message id, looking again while a clock and delays allow. Receipts still unknown are
 * reported, never dropped.
 */
export async function attributeBatch(
  events: SmsEvent[],
  messages: MessageLog,
  options: AttributionOptions = {},
): Promise<AttributedBatch> {
  const known = sentInBatch(events);
  const missing = new Set<string>();
  for (const event of events)
    if (needsAttribution(event) && !known.has(event.messageId as string))
      missing.add(event.messageId as string);
  await lookUp(missing, known, messages);
  for (const delayMs of options.clock ? (options.retryDelaysMs ?? ATTRIBUTION_RETRY_DELAYS_MS) : []) {
    if (missing.size === 0) break;
    await options.clock?.sleep(delayMs);
    await lookUp(missing, known, messages);
  }
  const unattributed = new Set<string>();
  const out = events.map((event) => {
    if (!needsAttribution(event)) return event;
    const message = known.get(event.messageId as string);
    if (message === undefined) unattributed.add(event.eventId);
    return completeFromMessageLog(event, message);
  });
  return { events: out, unattributed, known };
}

/** Reads the missing message ids from the log; found ones move from `missing` to `known`. */
async function lookUp(missing: Set<string>, known: Map<string, SentMessage>, messages: MessageLog) {
  const found = await Promise.all([...missing].map(async (id) => [id, await messages.get(id)] as const));
  for (const [id, message] of found) {
    if (message === undefined) continue;
    known.set(id, message);
    missing.delete(id);
  }
}
