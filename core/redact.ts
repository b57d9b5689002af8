/**
 * What may be said about a subscriber where people read: logs, metric dimensions, notifications and
 * error messages. A phone number is shown as its last four digits and a salted hash (the same
 * number always hashes the same, so lines about one person can be followed without naming them);
 * a message body only as its length. `redactText` is the safety net every log sink applies to
 * free text, masking anything that could be a phone number.
 */
import { createHmac } from "node:crypto";

const MASK = "***";

/** "+12125550101" -> "***0101"; a run with fewer than four digits keeps none. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length < 4 ? MASK : `${MASK}${digits.slice(-4)}`;
}

/** A value that was meant to be a number, for an error message: "***0101, 14 characters". */
export function describeRawPhone(raw: string): string {
  return `${maskPhone(raw)}, ${raw.length} characters`;
}

/** Hex characters of the hash kept: 64 bits, ample to tell subscribers apart and short in a log. */
const HASH_CHARS = 16;

/**
 * HMAC-SHA256 of the number (digits and a leading +, so "+1 212-555-0101" and "+12125550101"
 * agree) keyed by the deployment's salt. Without the salt the hash cannot be reversed by trying
 * every number, which a plain hash of a phone number can.
 */
export function phoneHash(phone: string, salt: string): string {
  const canonical = phone.trim().startsWith("+") ? `+${phone.replace(/\D/g, "")}` : phone.replace(/\D/g, "");
  return createHmac("sha256", salt).update(canonical).digest("hex").slice(0, HASH_CHARS);
}

/** A message body as a log may show it: its length in characters (code points), nothing of its text. */
export function bodyLength(body: string | undefined): number {
  return body === undefined ? 0 : [...body].length;
}

/** "a 42-character body": the words for an error message or a log line. */
export function describeBody(body: string | undefined): string {
  return `a ${bodyLength(body)}-character body`;
}

/** The masked number and, with a salt, its hash: what a log line or notification says about who. */
export function describePhone(phone: string, salt?: string): { phone: string; phoneHash?: string } {
  return salt ? { phone: maskPhone(phone), phoneHash: phoneHash(phone, salt) } : { phone: maskPhone(phone) };
}

const WORD = String.raw`[\p{L}\p{N}_]`;
/**
 * A run of 7 to 15 digits (E.164 allows 15) written in any common style: a leading +, %2B (a
 * form-encoded +) or an opening parenthesis, and at most two of space, dot, dash, slash or
 * parentheses between digits. Not inside a word or a longer digit run (ids, Kinesis sequence
 * numbers, hex), not right after "word-" or "word." (shardId-000000000001, UUID segments), and not
 * an ISO date (2026-06-16).
 */
const PHONE_LIKE = new RegExp(
  String.raw`(?<!${WORD})(?:\+|%2[Bb]|\(|(?<!${WORD}[-.])(?=\d))(?!\d{4}-\d{2}-\d{2}(?!\d))(?:\d[\s./()-]{0,2}){6,14}\d(?!${WORD})`,
  "gu",
);

/** Free text with every phone-like digit run masked to its last four digits. */
export function redactText(text: string): string {
  return text.replace(PHONE_LIKE, maskPhone);
}

/**
 * A value about to be logged, with every string in it redacted: plain objects and arrays are
 * copied, an Error becomes its redacted "Name: message" (its stack names our files, not people).
 */
export function redactValue(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactText(value);
  if (value instanceof Error) return redactText(`${value.name}: ${value.message}`);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactValue(item, seen);
  return copy;
}

/** The message of anything thrown, redacted: for error strings that cross a log. */
export function redactedMessage(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}

/**
 * Something thrown, made safe for the platform's own error log (Lambda's runtime, the Functions
 * host, the Functions Framework print what escapes a handler): an Error keeps its class and is
 * redacted in place, message and stack; anything else becomes an Error with its redacted text.
 */
export function redactThrown(thrown: unknown): Error {
  if (!(thrown instanceof Error)) return new Error(redactText(String(thrown)));
  try {
    thrown.message = redactText(thrown.message);
    if (thrown.stack) thrown.stack = redactText(thrown.stack);
    return thrown;
  } catch {
    // A frozen error: a new one with its name and redacted message.
    const copy = new Error(redactText(thrown.message));
    copy.name = thrown.name;
    return copy;
  }
}

/** The entry point, with whatever escapes it redacted (redactThrown). */
export function withRedactedErrors<A extends unknown[], R>(
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (thrown) {
      throw redactThrown(thrown);
    }
  };
}
