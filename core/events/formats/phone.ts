import { parsePhoneNumberFromString } from "libphonenumber-js";

export interface NormalizedPhone {
  /** E.164, e.g. +14255550123. */
  e164: string;
  /** ISO 3166-1 alpha-2, when libphonenumber can tell. */
  country?: string;
}

// Parsing costs several microseconds, more than the rest of a decode; a stream repeats the same
// numbers (queued, sent, delivered, reply), so a bounded memo keeps the hot path fast.
const MEMO_LIMIT = 50_000;
const memo = new Map<string, NormalizedPhone | null>();

/**
 * Normalises a phone number to E.164 with libphonenumber. Parsing, not validation: documentation
 * numbers such as +1 206 555 0100 are kept. Azure sends numbers without the leading "+", so a
 * bare digit string is read as international.
 */
export function normalizePhone(raw: string): NormalizedPhone | undefined {
  const known = memo.get(raw);
  if (known !== undefined) return known ?? undefined;
  const parsed = parse(raw);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(raw, parsed ?? null);
  return parsed;
}

function parse(raw: string): NormalizedPhone | undefined {
  const trimmed = raw.trim();
  const international = /^\d{8,15}$/.test(trimmed) ? `+${trimmed}` : trimmed;
  if (!international.startsWith("+")) return undefined;
  const phone = parsePhoneNumberFromString(international);
  if (phone === undefined) return undefined;
  const e164 = phone.number as string;
  if (!/^\+[1-9]\d{1,14}$/.test(e164)) return undefined;
  return phone.country === undefined ? { e164 } : { e164, country: phone.country };
}

/**
 * A North American number already in E.164: +1, an area code and an exchange each starting 2-9.
 * libphonenumber gives such a text back unchanged (test/unit/decoders/phone.test.ts holds every area
 * code and exchange lead digit to that), so only its country needs the parse.
 */
const NANP_E164 = /^\+1[2-9]\d{2}[2-9]\d{6}$/;

/**
 * normalizePhone(raw)?.e164, for a caller that does not need the country (the payload names it, or
 * the number is our own): providers send numbers in E.164, and most campaigns run in North America.
 */
export function e164Of(raw: string): string | undefined {
  return NANP_E164.test(raw) ? raw : normalizePhone(raw)?.e164;
}

/** Our own number as the event shows it: E.164 when it is a phone number, else kept as given (a sender ID). */
export function senderIdentity(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return e164Of(raw) ?? raw;
}
