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

/** An optional field: absent (0 fields), or present and plainly valid (1 field); -1 when invalid. */
const optional = (value: unknown, isValid: (value: unknown) => boolean): number =>
  value === undefined ? 0 : isValid(value) ? 1 : -1;
const isText = (value: unknown) => typeof value === "string";
const isParts = (value: unknown) =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_PARTS;
const isCountry = (value: unknown) => typeof value === "string" && value.length === 2;
const isMessageType = (value: unknown) => oneOf(MESSAGE_TYPES, value);

/**
 * Whether a canonical event plainly holds valid values, every field read by name (monomorphic at
 * each site, where looping over keys read them by key); then its own keys are counted, so a key
 * the schema lacks fails it. The fast path also wants phoneNumber; a receipt without one goes
 * through zod, which checks that it may lack it (a receipt with a message id).
 */
function isPlainlyValid(payload: JsonObject): boolean {
  if (
    !nonEmpty(payload.eventId) ||
    payload.schemaVersion !== SCHEMA_VERSION ||
    !oneOf(EVENT_KINDS, payload.kind) ||
    !isUtcDateTime(payload.occurredAt) ||
    !oneOf(PROVIDERS, payload.provider) ||
    typeof payload.phoneNumber !== "string" ||
    !E164.test(payload.phoneNumber)
  )
    return false;
  const optionalFields = [
    optional(payload.senderNumber, nonEmpty),
    optional(payload.subscriberId, nonEmpty),
    optional(payload.campaignId, nonEmpty),
    optional(payload.journeyId, nonEmpty),
    optional(payload.messageId, nonEmpty),
    optional(payload.inReplyTo, nonEmpty),
    optional(payload.status, isText),
    optional(payload.failureReason, isText),
    optional(payload.body, isText),
    optional(payload.keyword, isText),
    optional(payload.parts, isParts),
    optional(payload.priceUsd, nonNegative),
    optional(payload.carrierFeeUsd, nonNegative),
    optional(payload.countryCode, isCountry),
    optional(payload.messageType, isMessageType),
  ];
  let fields = REQUIRED_COUNT + 1;
  for (const present of optionalFields) {
    if (present < 0) return false;
    fields += present;
  }
  // Object.keys: own keys only, from V8's enum cache (a for-in with hasOwn took three times longer).
  return Object.keys(payload).length === fields;
}

/** eventId, schemaVersion, kind, occurredAt, provider. */
const REQUIRED_COUNT = 5;

/** A UTC date-time whose calendar date exists (the regex alone would let 2026-02-30 through). */
function isUtcDateTime(value: unknown): boolean {
  if (typeof value !== "string" || !UTC_DATETIME.test(value)) return false;
  const day = digitsAt(value, 8, 2);
  return day <= 28 || day <= daysInMonth(digitsAt(value, 0, 4), digitsAt(value, 5, 2));
}
