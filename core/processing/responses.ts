import { endJourneysOfOptOut, type ReplyRoutingDeps, routeReply } from "../campaign/reply-routing";
import type { SmsEvent } from "../events/schema";
import type { ConsentRecord, Notification, OptOutReview, Ports, ResponseRecord, SentMessage } from "../ports";
import { withoutUndefined } from "../records";
import { bodyLength, describePhone, redactText } from "../redact";
import { answeredMessage } from "./answered-message";
import { attributeBatch } from "./attribution";
import { UnprocessableRecord } from "./batch";
import { normalizeReply, type ReplyClassification } from "./classify";
import { DEFAULT_OPT_OUT_THRESHOLDS, type OptOutIntent, type OptOutThresholds } from "./opt-out-intent";
import type { NotificationPattern } from "./patterns";
import { classifyReplyIntent } from "./reply-intent";
import { startRevocationClock } from "./revocation-sla";

export { classifyReply, type ReplyClassification } from "./classify";

export interface ResponsesSettings {
  helpText: string;
  stopConfirmationText: string;
  patterns: NotificationPattern[];
  /** The number replies are answered from; the sender's default when absent. */
  senderNumber?: string;
  /** Keys the phone hash in notifications (core/redact.ts); without it they carry only the last four digits. */
  phoneHashSalt?: string;
  /** Where free-text opt-out intent becomes an opt-out or a review; DEFAULT_OPT_OUT_THRESHOLDS when absent. */
  optOutThresholds?: OptOutThresholds;
}

export type ResponsesPorts = Pick<
  Ports,
  "responses" | "optOuts" | "sender" | "notifier" | "messages" | "clock" | "optOutReviews"
> &
  Partial<Pick<Ports, "consentLog" | "revocations" | "erasures">> & {
    /** Where replies move journeys (a STOP ends them, a keyword takes its branch); absent, journeys are left alone. */
    journeyRouting?: Omit<ReplyRoutingDeps, "now">;
  };

export interface RepliesOutcome {
  /** Replies stored for the first time. */
  stored: number;
  /** Replies skipped because they were already fully processed (a replay). */
  replays: number;
  /** Numbers newly opted out, by reply or by carrier event. */
  optedOut: number;
  /** HELP answers and STOP confirmations handed to the sender. */
  answers: number;
  /** Replies newly put in the opt-out review queue (their numbers are held until reviewed). */
  heldForReview: number;
  notifications: number;
  /** Sent/queued messages recorded in the message log for reply linking. */
  messagesLogged: number;
  /** Journeys a reply moved: ended by a STOP, or sent down a branch for the ticker to run. */
  journeysMoved: number;
  /**
   * Events of erased numbers, dropped whole: nothing of them is stored, and their tombstone keeps
   * them suppressed (a STOP included). Absent when there were none.
   */
  erasedSkipped?: number;
}

/** The responses store keeps a reply for one year (the one-year promise of the design). */
export const RESPONSE_TTL_SECONDS = 365 * 24 * 60 * 60;

const ttlOf = (respondedAt: string) => Math.floor(Date.parse(respondedAt) / 1000) + RESPONSE_TTL_SECONDS;

export interface ReplyLink {
  campaignId?: string;
  journeyId?: string;
  subscriberId?: string;
}

/** A reply's number; the schema requires it on every `received` event. */
function phoneOf(event: SmsEvent): string {
  if (event.phoneNumber === undefined) throw new Error(`event ${event.eventId} has no phone number`);
  return event.phoneNumber;
}

/**
 * A receipt's number, from the message log when the receipt carries none. The queued event may
 * trail the receipt (another shard), so the log is asked again over the attribution delays (~16 s,
 * as analytics and archive wait). A message still unknown then is unprocessable: the record goes
 * to the dead letter with its bytes, where a retry would only run out and lose them.
 */
async function receiptPhoneOf(event: SmsEvent, ports: Pick<Ports, "messages" | "clock">): Promise<string> {
  if (event.phoneNumber !== undefined) return event.phoneNumber;
  const { events } = await attributeBatch([event], ports.messages, { clock: ports.clock });
  const phone = events[0]?.phoneNumber;
  if (phone === undefined) {
    throw new UnprocessableRecord(
      `opt-out ${event.eventId}: message ${event.messageId} is not in the message log after waiting for it`,
    );
  }
  return phone;
}

/** The message-log entry a `sent` or `queued` event makes, so later replies can be linked to it. */
export function sentMessageOf(event: SmsEvent): SentMessage | undefined {
  // A sent receipt without a number adds nothing: its queued event logs the message.
  if ((event.kind !== "sent" && event.kind !== "queued") || !event.messageId || !event.phoneNumber) {
    return undefined;
  }
  return withoutUndefined<SentMessage>({
    messageId: event.messageId,
    phoneNumber: event.phoneNumber,
    sentAt: event.occurredAt,
    campaignId: event.campaignId,
    journeyId: event.journeyId,
    subscriberId: event.subscriberId,
  });
}

/** Whether every event only logs a message (sends with a number): such records batch into one write. */
export const onlyLogsMessages = (events: SmsEvent[]): boolean =>
  events.length > 0 && events.every((event) => sentMessageOf(event) !== undefined);

/**
 * What processReplies does with events that only log messages (see onlyLogsMessages), in as few
 * message-log writes as the log allows: erased numbers skipped, the rest recorded (first wins).
 */
export async function logSentMessages(
  events: SmsEvent[],
  ports: Pick<ResponsesPorts, "messages" | "erasures">,
): Promise<{ messagesLogged: number; erasedSkipped: number }> {
  const messages: SentMessage[] = [];
  for (const event of events) {
    const sent = sentMessageOf(event);
    if (sent && !(await ports.erasures?.isErased(sent.phoneNumber))) messages.push(sent);
  }
  if (ports.messages.recordAll) await ports.messages.recordAll(messages);
  else for (const message of messages) await ports.messages.record(message);
  return { messagesLogged: messages.length, erasedSkipped: events.length - messages.length };
}

/**
 * The reply's own ids first; otherwise the message it answers; otherwise the newest message to
 * that number. Shared by the responses consumer and `smsctl replay --campaign`.
 */
export async function linkReply(event: SmsEvent, messages: Ports["messages"]): Promise<ReplyLink> {
  const source = event.campaignId || event.journeyId ? undefined : await answeredMessage(event, messages);
  return {
    campaignId: event.campaignId ?? source?.campaignId,
    journeyId: event.journeyId ?? source?.journeyId,
    subscriberId: event.subscriberId ?? source?.subscriberId,
  };
}

/** The intent fields of a stored reply: present whenever a rule matched, so staff can explain it. */
const intentFieldsOf = (intent: OptOutIntent | undefined): Partial<ResponseRecord> =>
  intent && intent.rule !== "none"
    ? {
        opt_out_confidence: intent.optOutConfidence,
        opt_out_decision: intent.decision,
        opt_out_rule: intent.rule,
      }
    : {};

export function buildResponseRecord(
  event: SmsEvent,
  classification: ReplyClassification,
  link: ReplyLink,
  intent?: OptOutIntent,
): ResponseRecord {
  return withoutUndefined<ResponseRecord>({
    event_id: event.eventId,
    subscriber_id: link.subscriberId,
    phone_number: phoneOf(event),
    response_text: event.body ?? "",
    response_timestamp: event.occurredAt,
    campaign_id: link.campaignId,
    journey_id: link.journeyId,
    category: classification.category,
    keyword: classification.keyword,
    sentiment: classification.sentiment,
    ...intentFieldsOf(intent),
    ttl: ttlOf(event.occurredAt),
  });
}

type CompiledPattern = {
  name: string;
  matches: (text: string, classification: ReplyClassification) => boolean;
};

function compilePattern(pattern: NotificationPattern): CompiledPattern {
  switch (pattern.type) {
    case "keyword": {
      // Same rule as the carrier keywords: the whole message or its first word, any case.
      const keyword = normalizeReply(pattern.keyword);
      return {
        name: pattern.name,
        matches: (text) => {
          const normalized = normalizeReply(text);
          return normalized === keyword || normalized.startsWith(`${keyword} `);
        },
      };
    }
    case "regex": {
      const regex = new RegExp(pattern.pattern, pattern.flags);
      return { name: pattern.name, matches: (text) => regex.test(text) };
    }
    case "sentiment":
      return { name: pattern.name, matches: (_, c) => c.sentiment === pattern.sentiment };
  }
}

/**
 * What the people notified read: never the reply's text or the full number (notifications land in
 * mailboxes and chat channels). They get the masked number, its salted hash, the body's length,
 * how the reply was classified, and the event id that finds the reply in the responses store.
 */
export function notificationFor(pattern: string, record: ResponseRecord, salt?: string): Notification {
  const who = describePhone(record.phone_number, salt);
  const length = bodyLength(record.response_text);
  const keyword = record.keyword ? `, keyword ${record.keyword}` : "";
  return {
    id: `${record.event_id}:${pattern}`,
    subject: `SMS reply matched ${pattern}`,
    message:
      `A reply from ${who.phone}${who.phoneHash ? ` (hash ${who.phoneHash})` : ""} matched "${pattern}": ` +
      `${record.category}, ${record.sentiment} sentiment${keyword}, ${length} characters. ` +
      `Read it in the responses store under event id ${record.event_id}.`,
    attributes: withoutUndefined({
      pattern,
      eventId: record.event_id,
      phoneMasked: who.phone,
      phoneHash: who.phoneHash,
      bodyLength: String(length),
      category: record.category,
      keyword: record.keyword,
      sentiment: record.sentiment,
      campaignId: record.campaign_id,
      journeyId: record.journey_id,
      subscriberId: record.subscriber_id,
    }) as Record<string, string>,
  };
}

/**
 * Consent evidence of an opt-in or opt-out an event caused; a no-op where no consent log is wired.
 * Idempotent on the event id, so a retried event adds nothing. Called after the opt-out store
 * reports the change (which it repeats for a retry of the same event) or, for START, before the
 * store changes, so a crash in between cannot leave a change without its evidence.
 */
async function recordConsent(
  ports: Pick<ResponsesPorts, "consentLog">,
  event: SmsEvent,
  phoneNumber: string,
  consent: Pick<ConsentRecord, "action" | "source" | "wording">,
): Promise<void> {
  await ports.consentLog?.append({ phoneNumber, ...consent, at: event.occurredAt, eventId: event.eventId });
}

/** A reply's opt-out: its carrier keyword, else the intent rule that read it as a revocation. */
const replyOptOutConsent = (
  keyword: string | undefined,
  intent: OptOutIntent,
): Pick<ConsentRecord, "action" | "source" | "wording"> =>
  keyword
    ? { action: "opt_out", source: "reply_keyword", wording: keyword }
    : {
        action: "opt_out",
        source: "reply_intent",
        wording: `opt-out intent ${intent.rule} (${intent.decision})`,
      };

/** START: an opted-out number opts back in, with its evidence first (see recordConsent). */
async function optInByReply(
  event: SmsEvent,
  ports: ResponsesPorts,
  keyword: string | undefined,
): Promise<void> {
  const phone = phoneOf(event);
  if (!(await ports.optOuts.isOptedOut(phone))) return;
  await recordConsent(ports, event, phone, {
    action: "opt_in",
    source: "reply_keyword",
    wording: keyword ?? "START",
  });
  await ports.optOuts.optIn(phone);
}

/**
 * Handles one inbound reply. Ordering makes replays and crashes safe:
 * 1. a reply whose record already exists was fully handled before: skip it (a replay sends nothing);
 * 2. side effects next, each idempotent on its own: the opt-out store returns true for the first
 *    STOP of a number (and again for a retry of that same event, so a crash between the opt-out
 *    and the confirmation still confirms), sends carry an idempotency key derived from the event
 *    id, notifications a stable id per (event, pattern);
 * 3. the record last: once it exists, the reply counts as done.
 * A crash before step 3 repeats step 2 on retry, at worst handing the sender the same idempotency
 * key or the notifier the same id twice; it never loses a reply or an opt-out.
 */
async function handleReply(
  event: SmsEvent,
  ports: ResponsesPorts,
  settings: ResponsesSettings,
  patterns: CompiledPattern[],
  outcome: RepliesOutcome,
): Promise<void> {
  if (await ports.responses.get(event.eventId)) {
    outcome.replays++;
    return;
  }
  const text = event.body ?? "";
  const intent = classifyReplyIntent(text, settings.optOutThresholds ?? DEFAULT_OPT_OUT_THRESHOLDS);
  const reviews = ports.optOutReviews;
  // Without a review queue a doubtful reply cannot be held, so it fails closed: it opts out.
  const classification =
    intent.optOut.decision === "review" && !reviews
      ? { ...intent.classification, category: "stop" as const }
      : intent.classification;
  const record = buildResponseRecord(
    event,
    classification,
    await linkReply(event, ports.messages),
    intent.optOut,
  );
  const answer = async (body: string, purpose: string): Promise<string | undefined> => {
    const to = { eventId: event.eventId, phoneNumber: phoneOf(event), senderNumber: event.senderNumber };
    const messageId = await answerReply(ports.sender, to, record, {
      body,
      purpose,
      from: settings.senderNumber,
    });
    if (messageId !== undefined) outcome.answers++;
    return messageId;
  };

  if (classification.category === "stop") {
    if (await ports.optOuts.optOut(phoneOf(event), event.occurredAt, event.eventId)) {
      await recordConsent(
        ports,
        event,
        phoneOf(event),
        replyOptOutConsent(classification.keyword, intent.optOut),
      );
      await startRevocationClock(ports.revocations, {
        eventId: event.eventId,
        phoneNumber: phoneOf(event),
        optedOutAt: event.occurredAt,
        source: classification.keyword ? "reply_keyword" : "reply_intent",
        confirmationExpected: true,
        ...(record.subscriber_id ? { subscriberId: record.subscriber_id } : {}),
      });
      outcome.optedOut++;
      const confirmation = await answer(settings.stopConfirmationText, STOP_CONFIRMATION);
      if (confirmation !== undefined) {
        await ports.revocations?.confirm(event.eventId, ports.clock.now().toISOString(), confirmation);
      }
    }
  } else if (classification.category === "start") {
    await optInByReply(event, ports, classification.keyword);
  } else if (classification.category === "help") {
    await answer(settings.helpText, "help");
  }
  if (reviews && intent.optOut.decision === "review") {
    if ((await reviews.put(reviewOf(record, intent.optOut))) === "created") outcome.heldForReview++;
  }

  for (const pattern of patterns) {
    if (!pattern.matches(text, classification)) continue;
    await ports.notifier.publish(notificationFor(pattern.name, record, settings.phoneHashSalt));
    outcome.notifications++;
  }

  if (ports.journeyRouting) {
    const linked = record.subscriber_id ? { ...event, subscriberId: record.subscriber_id } : event;
    const moved = await routeReply(
      linked,
      { ...ports.journeyRouting, now: () => ports.clock.now() },
      { isOptOut: classification.category === "stop" },
    );
    outcome.journeysMoved += moved.length;
  }

  if ((await ports.responses.put(record)) === "created") outcome.stored++;
  else outcome.replays++;
}

/** The purpose of a STOP confirmation, in its idempotency key: an accepted review confirms under the same key. */
export const STOP_CONFIRMATION = "stop-confirmation";

/** The review a doubtful reply puts in the queue: what the reviewer reads and the rule that doubted it. */
export const reviewOf = (record: ResponseRecord, intent: OptOutIntent): Omit<OptOutReview, "status"> =>
  withoutUndefined({
    eventId: record.event_id,
    phoneNumber: record.phone_number,
    text: record.response_text,
    receivedAt: record.response_timestamp,
    optOutConfidence: intent.optOutConfidence,
    rule: intent.rule,
    subscriberId: record.subscriber_id,
    campaignId: record.campaign_id,
    journeyId: record.journey_id,
  });

/** The reply an answer goes to. */
export interface AnsweredReply {
  eventId: string;
  phoneNumber: string;
  /** The number the reply was sent to; answers come from it unless `from` says otherwise. */
  senderNumber?: string;
}

/**
 * Answers a reply (HELP text, STOP confirmation) as a transactional message keyed on the reply's
 * event id and the purpose, so a retry hands the sender the same idempotency key. Returns the
 * sent message's id (the revocation SLA tells the confirmation from a send after the opt-out by
 * it), undefined when the answer could not be sent.
 * A transient refusal throws, so the stream retries the record (same key) before the reply is
 * stored; a permanent one (opted out, invalid number) cannot be answered at all.
 */
export async function answerReply(
  sender: Ports["sender"],
  reply: AnsweredReply,
  record: Pick<ResponseRecord, "campaign_id" | "journey_id" | "subscriber_id">,
  answer: { body: string; purpose: string; from?: string },
): Promise<string | undefined> {
  const result = await sender.send(
    withoutUndefined({
      to: reply.phoneNumber,
      body: answer.body,
      from: answer.from ?? reply.senderNumber,
      messageType: "transactional" as const,
      campaignId: record.campaign_id,
      journeyId: record.journey_id,
      subscriberId: record.subscriber_id,
      idempotencyKey: `${reply.eventId}:${answer.purpose}`,
    }),
  );
  if (result.status === "throttled" || (result.status === "failed" && result.retryable)) {
    throw new Error(
      `could not send the ${answer.purpose} answer to ${reply.eventId}: ${redactText(result.reason)}`,
    );
  }
  return result.status === "sent" ? result.messageId : undefined;
}

/**
 * The responses consumer: logs what was sent (so later replies can be linked), handles every
 * inbound reply, and records carrier-side opt-outs. Events are handled in order, one at a time,
 * so a send and its reply in the same batch link up. Throws on the first failing event; the batch
 * runner's per-record mode turns that into one failed record.
 */
export async function processReplies(
  events: SmsEvent[],
  ports: ResponsesPorts,
  settings: ResponsesSettings,
): Promise<RepliesOutcome> {
  const patterns = settings.patterns.map(compilePattern);
  const outcome: RepliesOutcome = {
    stored: 0,
    replays: 0,
    optedOut: 0,
    answers: 0,
    heldForReview: 0,
    notifications: 0,
    messagesLogged: 0,
    journeysMoved: 0,
  };
  for (const event of events) {
    if (event.phoneNumber && (await ports.erasures?.isErased(event.phoneNumber))) {
      outcome.erasedSkipped = (outcome.erasedSkipped ?? 0) + 1;
      continue;
    }
    const sent = sentMessageOf(event);
    if (sent) {
      await ports.messages.record(sent);
      outcome.messagesLogged++;
    } else if (event.kind === "opted_out") {
      const phone = await receiptPhoneOf(event, ports);
      if (await ports.optOuts.optOut(phone, event.occurredAt, event.eventId)) {
        await recordConsent(ports, event, phone, {
          action: "opt_out",
          source: "carrier_opt_out",
          wording: event.keyword ?? "carrier opt-out",
        });
        // The carrier confirms its own opt-outs: no confirmation of ours is due.
        await startRevocationClock(ports.revocations, {
          eventId: event.eventId,
          phoneNumber: phone,
          optedOutAt: event.occurredAt,
          source: "carrier_opt_out",
          confirmationExpected: false,
          ...(event.subscriberId ? { subscriberId: event.subscriberId } : {}),
        });
        outcome.optedOut++;
      }
      // A carrier opt-out ends the subscriber's journeys as a STOP reply does (idempotent).
      if (ports.journeyRouting) {
        const ended = await endJourneysOfOptOut(phone, event.subscriberId, {
          ...ports.journeyRouting,
          now: () => ports.clock.now(),
        });
        outcome.journeysMoved += ended.length;
      }
    } else if (event.kind === "received") {
      await handleReply(event, ports, settings, patterns, outcome);
    }
  }
  return outcome;
}
