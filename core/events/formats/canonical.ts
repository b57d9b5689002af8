/**
 * Canonical events, as our own sender publishes them on the stream: validated and passed through.
 * A hand-written check accepts the common case quickly (it is stricter than the schema, never
 * looser); anything it does not accept goes through zod, which also words the error.
 */
import {
  EVENT_KINDS,
  MAX_PARTS,
  MESSAGE_TYPES,
  PROVIDERS,
  SCHEMA_VERSION,
  type SmsEvent,
  SmsEventSchema,
} from "../schema";
import { type DecodeResult, decoded, invalidPayload } from "./result";
import { daysInMonth, digitsAt } from "./time";
import type { JsonObject } from "./values";

export function isCanonicalEvent(payload: JsonObject): boolean {
  return "schemaVersion" in payload && "eventId" in payload;
}

export function decodeCanonical(payload: JsonObject): DecodeResult {
  if (isPlainlyValid(payload)) return decoded(payload as SmsEvent);
  const parsed = SmsEventSchema.safeParse(payload);
  if (parsed.success) return decoded(withoutUndefined(parsed.data));
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(event)"}: ${issue.message}`)
    .join("; ");
  return invalidPayload(`canonical event does not match the schema: ${problems}`);
}

/** A caller's object may hold `key: undefined`, which zod lets through; an event never carries one. */
function withoutUndefined(event: SmsEvent): SmsEvent {
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)) as SmsEvent;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const UTC_DATETIME =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;

const nonEmpty = (value: unknown) => typeof value === "string" && value.length > 0;
const nonNegative = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;
const oneOf = (values: readonly string[], value: unknown) =>
  typeof value === "string" && values.includes(value);

/**
 * Whether one field of a canonical event plainly holds a valid value; false for a key the schema
 * lacks. A switch rather than a table of closures: it runs for every field of every event.
 */
function isPlainlyValidField(key: string, value: unknown): boolean {
  switch (key as keyof SmsEvent) {
    case "eventId":
    case "senderNumber":
    case "subscriberId":
    case "campaignId":
    case "journeyId":
    case "messageId":
    case "inReplyTo":
      return nonEmpty(value);
    case "schemaVersion":
      return value === SCHEMA_VERSION;
    case "kind":
      return oneOf(EVENT_KINDS, value);
    case "occurredAt":
      return isUtcDateTime(value);
    case "provider":
      return oneOf(PROVIDERS, value);
    case "phoneNumber":
      return typeof value === "string" && E164.test(value);
    case "status":
    case "failureReason":
    case "body":
    case "keyword":
      return typeof value === "string";
    case "parts":
      return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_PARTS;
    case "priceUsd":
    case "carrierFeeUsd":
      return nonNegative(value);
    case "countryCode":
      return typeof value === "string" && value.length === 2;
    case "messageType":
      return oneOf(MESSAGE_TYPES, value);
    default:
      return false;
  }
}

// The fast path also wants phoneNumber; a receipt without one goes through zod, which checks that
// it may lack it (a receipt with a message id).
function isPlainlyValid(payload: JsonObject): boolean {
  let required = 0;
  for (const key in payload) {
    if (!Object.hasOwn(payload, key) || !isPlainlyValidField(key, payload[key])) return false;
    if (isRequired(key)) required++;
  }
  return required === REQUIRED_COUNT && "phoneNumber" in payload;
}

/** The fields every event has, named rather than searched for in a list: this runs per key. */
const REQUIRED_COUNT = 5;
const isRequired = (key: string) =>
  key === "eventId" ||
  key === "schemaVersion" ||
  key === "kind" ||
  key === "occurredAt" ||
  key === "provider";

/** A UTC date-time whose calendar date exists (the regex alone would let 2026-02-30 through). */
function isUtcDateTime(value: unknown): boolean {
  if (typeof value !== "string" || !UTC_DATETIME.test(value)) return false;
  const day = digitsAt(value, 8, 2);
  return day <= 28 || day <= daysInMonth(digitsAt(value, 0, 4), digitsAt(value, 5, 2));
}
