/**
 * Which message a reply answers, for every consumer that links replies (responses processing,
 * replay's campaign filter, the circuit breaker): its in-reply-to id when the log has it, else the
 * newest message sent to its number.
 */
import type { SmsEvent } from "../events/schema";
import type { MessageLog, SentMessage } from "../ports";

export type MessageReads = Pick<MessageLog, "get" | "lastTo">;

export async function answeredMessage(
  event: SmsEvent,
  messages: MessageReads,
): Promise<SentMessage | undefined> {
  const answered = event.inReplyTo ? await messages.get(event.inReplyTo) : undefined;
  return answered ?? (event.phoneNumber ? await messages.lastTo(event.phoneNumber) : undefined);
}

/**
 * One batch's reads of the message log: messages the batch already knows (announced in it, or read
 * by attribution) cost nothing, and each other id or number is read once however many events ask.
 */
export function batchMessageReads(
  known: ReadonlyMap<string, SentMessage>,
  messages: MessageReads,
): MessageReads {
  const byId = new Map<string, Promise<SentMessage | undefined>>();
  const byNumber = new Map<string, Promise<SentMessage | undefined>>();
  const once = (cache: typeof byId, key: string, read: () => Promise<SentMessage | undefined>) => {
    let pending = cache.get(key);
    if (!pending) {
      pending = read();
      cache.set(key, pending);
    }
    return pending;
  };
  return {
    get: async (messageId) => known.get(messageId) ?? once(byId, messageId, () => messages.get(messageId)),
    lastTo: (phoneNumber) => once(byNumber, phoneNumber, () => messages.lastTo(phoneNumber)),
  };
}
