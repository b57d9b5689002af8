/** Small, allocation-free readers for untrusted JSON values: each returns undefined rather than throwing. */
import { MAX_PARTS } from "../schema";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A table's entry for an untrusted key, or undefined: only the table's own keys, so "__proto__",
 * "constructor" or "toString" never read Object.prototype.
 */
export function entryOf<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * A scalar as text; anything else only named by its type, never walked: String() of a deeply
 * nested array recurses until the stack overflows (found by the fuzz).
 */
export function scalarText(value: unknown): string {
  if (typeof value === "number") return numberText(value);
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return String(value);
  return Array.isArray(value) ? "(an array)" : "(an object)";
}

/**
 * String(value), several times faster for epoch milliseconds (every End User Messaging event id
 * hashes one): V8 formats a number above 2^31 as a double. The seconds are formatted once per
 * second (the events of a batch come seconds apart) and the milliseconds come from a table. Exact:
 * below 10^15 the quotient's rounding error is under 10^-7, so the floor is right, and the product
 * and difference are exact integers.
 */
export function numberText(value: number): string {
  if (!Number.isSafeInteger(value) || value < 1000 || value >= 1e15) return String(value);
  const seconds = Math.floor(value / 1000);
  if (seconds !== lastSeconds) {
    lastSecondsText = String(seconds);
    lastSeconds = seconds;
  }
  return lastSecondsText + THREE_DIGITS[value - seconds * 1000];
}

let lastSeconds = Number.NaN;
let lastSecondsText = "";
/** "000" to "999". */
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, "0"));

/** A non-empty string field, or undefined. */
export function text(object: JsonObject, key: string): string | undefined {
  return nonEmptyText(object[key]);
}

/**
 * A non-empty string, or undefined. Hot decoders read each field by name (`payload.messageId`) and
 * pass the value here: a named read is monomorphic at its site, where `object[key]` inside a shared
 * helper sees every format's shapes and keys and goes megamorphic.
 */
export function nonEmptyText(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** A finite number field; numeric strings count too (Pinpoint sends "1" for message parts). */
export function numeric(object: JsonObject, key: string): number | undefined {
  return toNumber(object[key]);
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** A count: a non-negative safe integer, or undefined. */
export function count(value: unknown): number | undefined {
  const n = toNumber(value);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A message's part count: a count the archive's INT32 column can hold, or undefined. */
export function partsCount(value: unknown): number | undefined {
  const n = count(value);
  return n !== undefined && n <= MAX_PARTS ? n : undefined;
}

/** An amount of money: a non-negative finite number, or undefined. */
export function amount(value: unknown): number | undefined {
  const n = toNumber(value);
  return n !== undefined && n >= 0 ? n : undefined;
}

/** Reads a field under its camelCase or PascalCase name (Azure samples show both). */
export function eitherCase(object: JsonObject, camel: string): unknown {
  const value = object[camel];
  if (value !== undefined) return value;
  return object[camel.charAt(0).toUpperCase() + camel.slice(1)];
}

/** The first few keys of an object, for error messages that help a person recognise the payload. */
export function describeKeys(object: JsonObject): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return "an empty object";
  const shown = keys.slice(0, 5).join(", ");
  return `an object with keys ${shown}${keys.length > 5 ? ", …" : ""}`;
}
