import { hash } from "node:crypto";
import { describeRawPhone } from "../../redact";
import {
  type EventKind,
  MESSAGE_TYPES,
  type MessageType,
  mayLackPhone,
  type ProviderName,
  SCHEMA_VERSION,
  type SmsEvent,
} from "../schema";
import { e164Of, normalizePhone } from "./phone";
import { type DecodeResult, decoded, invalidPayload } from "./result";
import { isObject, text } from "./values";

type Optional<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * What a format decoder fills in. Undefined fields are dropped, never emitted as keys; the phone
 * number is passed raw to finishEvent, which normalises it.
 */
export type EventDraft = Optional<
  Omit<SmsEvent, "eventId" | "kind" | "provider" | "schemaVersion" | "phoneNumber">
> & {
  eventId: string;
  kind: EventKind;
  provider: ProviderName;
};

/**
 * Completes a draft: normalises the recipient's number, fills the country from it when the payload
 * had none, and copies only defined fields in the schema's field order. A receipt with a message id
 * may come without a number (the consumers complete it from the message log); nothing else may.
 */
export function finishEvent(format: string, draft: EventDraft, rawPhone: string | undefined): DecodeResult {
  if (rawPhone === undefined) return finishWithoutPhone(format, draft);
  // The payload's own country wins; only without one is the number parsed for its country.
  const payloadCountry = countryCode(draft.countryCode);
  const phone = payloadCountry === undefined ? normalizePhone(rawPhone) : undefined;
  const e164 = payloadCountry === undefined ? phone?.e164 : e164Of(rawPhone);
  if (e164 === undefined) {
    return invalidPayload(
      `${format}: the recipient's number (${describeRawPhone(rawPhone)}) is not a phone number in international format`,
    );
  }
  if (draft.occurredAt === undefined)
    return invalidPayload(`${format}: the event time is missing or invalid`);
  return decoded(eventOf(draft, draft.occurredAt, e164, payloadCountry ?? phone?.country));
}

function finishWithoutPhone(format: string, draft: EventDraft): DecodeResult {
  if (!mayLackPhone(draft)) {
    return invalidPayload(
      `${format}: the recipient's phone number is missing (only a delivery receipt with a message id may lack it)`,
    );
  }
  if (draft.occurredAt === undefined)
    return invalidPayload(`${format}: the event time is missing or invalid`);
  return decoded(eventOf(draft, draft.occurredAt, undefined, countryCode(draft.countryCode)));
}

/**
 * The event, fields in SmsEventSchema's order, absent ones left out. Written out field by field
 * rather than looped over SMS_EVENT_FIELDS: this runs once per event, and named stores are several
 * times faster than keyed ones. A test (finish-event.test.ts) fills every field of a draft and holds
 * the result's keys to SMS_EVENT_FIELDS, so a field added to the schema but not here fails it.
 */
function eventOf(
  draft: EventDraft,
  occurredAt: string,
  phoneNumber: string | undefined,
  country: string | undefined,
): SmsEvent {
  const event: SmsEvent = {
    eventId: draft.eventId,
    schemaVersion: SCHEMA_VERSION,
    kind: draft.kind,
    occurredAt,
    provider: draft.provider,
  };
  if (phoneNumber !== undefined) event.phoneNumber = phoneNumber;
  if (draft.senderNumber !== undefined) event.senderNumber = draft.senderNumber;
  if (draft.subscriberId !== undefined) event.subscriberId = draft.subscriberId;
  if (draft.campaignId !== undefined) event.campaignId = draft.campaignId;
  if (draft.journeyId !== undefined) event.journeyId = draft.journeyId;
  if (draft.messageId !== undefined) event.messageId = draft.messageId;
  if (draft.inReplyTo !== undefined) event.inReplyTo = draft.inReplyTo;
  if (draft.status !== undefined) event.status = draft.status;
  if (draft.failureReason !== undefined) event.failureReason = draft.failureReason;
  if (draft.body !== undefined) event.body = draft.body;
  if (draft.keyword !== undefined) event.keyword = draft.keyword;
  if (draft.parts !== undefined) event.parts = draft.parts;
  if (draft.priceUsd !== undefined) event.priceUsd = draft.priceUsd;
  if (draft.carrierFeeUsd !== undefined) event.carrierFeeUsd = draft.carrierFeeUsd;
  if (country !== undefined) event.countryCode = country;
  if (draft.messageType !== undefined) event.messageType = draft.messageType;
  return event;
}

/** A two-letter country code, upper-cased; anything else is undefined. */
function countryCode(value: string | undefined): string | undefined {
  if (value === undefined || value.length !== 2) return undefined;
  const first = value.charCodeAt(0);
  const second = value.charCodeAt(1);
  // Already upper case, as every provider sends it: no new string.
  if (isUpper(first) && isUpper(second)) return value;
  return isLetter(first) && isLetter(second) ? value.toUpperCase() : undefined;
}

const isUpper = (code: number) => code >= 65 && code <= 90;
const isLetter = (code: number) => isUpper(code) || (code >= 97 && code <= 122);

/**
 * A stable event id: the same native event always hashes to the same id, so a replayed or
 * redelivered record is recognised downstream. Parts are the provider, the native message id,
 * the native event type or status and the native timestamp.
 */
export function stableEventId(
  provider: string,
  nativeId: string | undefined,
  nativeType: string | undefined,
  ...rest: (string | number | undefined)[]
): string {
  // Four parts or fewer, as most formats have, join without an array: this runs for every event.
  let joined = `${provider}\u001f${nativeId ?? ""}\u001f${nativeType ?? ""}`;
  for (let index = 0; index < rest.length; index++) joined += `\u001f${idPart(rest[index])}`;
  return hash("sha256", joined, "hex").slice(0, 32);
}

const idPart = (part: string | number | undefined): string => (part === undefined ? "" : String(part));

export interface OurIds {
  campaignId?: string;
  journeyId?: string;
  subscriberId?: string;
}

/** Our ids from a string map we attached when sending (EUM `context`, Pinpoint `customer_context`). */
export function ourIdsFrom(map: unknown): OurIds {
  if (!isObject(map)) return {};
  return {
    campaignId: text(map, "campaignId"),
    journeyId: text(map, "journeyId"),
    subscriberId: text(map, "subscriberId"),
  };
}

/** "Transactional" / "PROMOTIONAL" -> the canonical lower-case message type, or undefined. */
export function messageTypeOf(value: string | undefined): MessageType | undefined {
  if (value === undefined) return undefined;
  // The spellings End User Messaging and Pinpoint send, without lower-casing a copy.
  if (value === "PROMOTIONAL") return "promotional";
  if (value === "TRANSACTIONAL") return "transactional";
  const lower = value.toLowerCase();
  return (MESSAGE_TYPES as readonly string[]).includes(lower) ? (lower as MessageType) : undefined;
}

/**
 * V8 quotes the text it could not parse (`Unexpected token 'H', "Hi, call me on …" is not valid
 * JSON`); that text may be a message body or a number, so the reason keeps only where and what.
 */
export function withoutQuotedInput(message: string): string {
  return message.replace(
    /,\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/,
    " (the text itself is not quoted)",
  );
}

/** Parses JSON that may not be JSON, without throwing; the reason never quotes the text. */
export function tryParseJson(
  textValue: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(textValue) };
  } catch (error) {
    return { ok: false, reason: jsonErrorReason(error) };
  }
}

/** What JSON.parse threw, without the text it quoted. */
export const jsonErrorReason = (error: unknown): string =>
  withoutQuotedInput(error instanceof Error ? error.message : String(error));
