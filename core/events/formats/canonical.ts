/**
 * Canonical events, as our own sender publishes them on the stream: validated and passed through.
 * A hand-written check accepts the common case quickly (it is stricter than the schema, never
 * looser); anything it does not accept goes through zod, which also words the error.
 */
import {
  EVENT_KINDS,
  MESSAGE_TYPES,
  PROVIDERS,
  SCHEMA_VERSION,
  type SmsEvent,
  SmsEventSchema,
} from "../schema";
import { type DecodeResult, decoded, invalidPayload } from "./result";
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

type Check = (value: unknown) => boolean;

const E164 = /^\+[1-9]\d{1,14}$/;
const UTC_DATETIME =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;

const nonEmpty: Check = (value) => typeof value === "string" && value.length > 0;
const anyText: Check = (value) => typeof value === "string";
const oneOf =
  (values: readonly string[]): Check =>
  (value) =>
    typeof value === "string" && values.includes(value);
const nonNegative: Check = (value) => typeof value === "number" && Number.isFinite(value) && value >= 0;

const CHECKS: Record<keyof SmsEvent, Check> = {
  eventId: nonEmpty,
  schemaVersion: (value) => value === SCHEMA_VERSION,
  kind: oneOf(EVENT_KINDS),
  occurredAt: isUtcDateTime,
  provider: oneOf(PROVIDERS),
  phoneNumber: (value) => typeof value === "string" && E164.test(value),
  senderNumber: nonEmpty,
  subscriberId: nonEmpty,
  campaignId: nonEmpty,
  journeyId: nonEmpty,
  messageId: nonEmpty,
  inReplyTo: nonEmpty,
  status: anyText,
  failureReason: anyText,
  body: anyText,
  keyword: anyText,
  parts: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  priceUsd: nonNegative,
  carrierFeeUsd: nonNegative,
  countryCode: (value) => typeof value === "string" && value.length === 2,
  messageType: oneOf(MESSAGE_TYPES),
};

const REQUIRED = ["eventId", "schemaVersion", "kind", "occurredAt", "provider", "phoneNumber"] as const;

function isPlainlyValid(payload: JsonObject): boolean {
  for (const key in payload) {
    const check = Object.hasOwn(CHECKS, key) ? CHECKS[key as keyof SmsEvent] : undefined;
    if (check === undefined || !check(payload[key])) return false;
  }
  return REQUIRED.every((key) => key in payload);
}

/** A UTC date-time whose calendar date exists (the regex alone would let 2026-02-30 through). */
function isUtcDateTime(value: unknown): boolean {
  if (typeof value !== "string" || !UTC_DATETIME.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
