import { hash } from "node:crypto";
import {
  type EventKind,
  MESSAGE_TYPES,
  type MessageType,
  type ProviderName,
  SCHEMA_VERSION,
  SMS_EVENT_FIELDS,
  type SmsEvent,
} from "../schema";
import { normalizePhone } from "./phone";
import { type DecodeResult, decoded, invalidPayload } from "./result";
import { isObject, type JsonObject } from "./values";

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
 * had none, and copies only defined fields in the schema's field order.
 */
export function finishEvent(format: string, draft: EventDraft, rawPhone: string | undefined): DecodeResult {
  if (rawPhone === undefined) return invalidPayload(`${format}: the recipient's phone number is missing`);
  const phone = normalizePhone(rawPhone);
  if (phone === undefined) {
    return invalidPayload(`${format}: "${clip(rawPhone)}" is not a phone number in international format`);
  }
  if (draft.occurredAt === undefined)
    return invalidPayload(`${format}: the event time is missing or invalid`);
  const full: Optional<SmsEvent> = {
    ...draft,
    schemaVersion: SCHEMA_VERSION,
    phoneNumber: phone.e164,
    countryCode: countryCode(draft.countryCode) ?? phone.country,
  };
  const event: Record<string, unknown> = {};
  for (const field of SMS_EVENT_FIELDS) {
    const value = full[field];
    if (value !== undefined) event[field] = value;
  }
  return decoded(event as SmsEvent);
}

function countryCode(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z]{2}$/.test(value) ? value.toUpperCase() : undefined;
}

/**
 * A stable event id: the same native event always hashes to the same id, so a replayed or
 * redelivered record is recognised downstream. Parts are the provider, the native message id,
 * the native event type or status and the native timestamp.
 */
export function stableEventId(...parts: (string | number | undefined)[]): string {
  return hash(
    "sha256",
    parts.map((part) => (part === undefined ? "" : String(part))).join("\u001f"),
    "hex",
  ).slice(0, 32);
}

export interface OurIds {
  campaignId?: string;
  journeyId?: string;
  subscriberId?: string;
}

/** Our ids from a string map we attached when sending (EUM `context`, Pinpoint `customer_context`). */
export function ourIdsFrom(map: unknown): OurIds {
  if (!isObject(map)) return {};
  return {
    campaignId: idText(map, "campaignId"),
    journeyId: idText(map, "journeyId"),
    subscriberId: idText(map, "subscriberId"),
  };
}

function idText(map: JsonObject, key: string): string | undefined {
  const value = map[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** "Transactional" / "PROMOTIONAL" -> the canonical lower-case message type, or undefined. */
export function messageTypeOf(value: string | undefined): MessageType | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  return (MESSAGE_TYPES as readonly string[]).includes(lower) ? (lower as MessageType) : undefined;
}

/** Shortens untrusted text quoted in an error message. */
export function clip(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** Parses JSON that may not be JSON, without throwing. */
export function tryParseJson(
  textValue: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(textValue) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
