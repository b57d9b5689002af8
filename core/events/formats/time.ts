/** Timestamps in every native format, normalised to the ISO-8601 UTC form the canonical event uses. */

// 0000-01-01 .. 9999-12-31: the range that ISO-8601 without an expanded year can express.
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export function isoFromEpochMs(value: unknown): string | undefined {
  const ms = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  return formatIso(Math.trunc(ms));
}

/**
 * The text after the day, in three pieces made once: "HH:MM:" by minute of the day, "SS." by
 * second, "mmmZ" by millisecond. Padding each part of each timestamp cost more than the rest.
 */
const pad2 = (n: number) => String(n).padStart(2, "0");
const HOUR_MINUTE = Array.from({ length: 1440 }, (_, n) => `${pad2(Math.floor(n / 60))}:${pad2(n % 60)}:`);
const SECOND = Array.from({ length: 60 }, (_, n) => `${pad2(n)}.`);
const MILLISECOND = Array.from({ length: 1000 }, (_, n) => `${String(n).padStart(3, "0")}Z`);

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
let lastDay = Number.NaN;
let lastDayPrefix = "";
let lastMinute = Number.NaN;
let lastMinutePrefix = "";

/**
 * Same output as Date#toISOString, several times faster: events of a batch share their day and
 * mostly their minute, so "YYYY-MM-DDTHH:MM:" is made once per minute and each event adds only its
 * seconds. The seconds are joined first: the result is then one pair of flat strings, which V8
 * flattens cheaply when the text is first read (a chain of nine pieces cost more than the rest).
 */
export function formatIso(ms: number): string {
  // ms is a whole number (isoFromEpochMs truncates): the tables are indexed by it.
  const minute = Math.floor(ms / MS_PER_MINUTE);
  if (minute !== lastMinute) {
    const day = Math.floor(ms / MS_PER_DAY);
    if (day !== lastDay) {
      lastDayPrefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
      lastDay = day;
    }
    lastMinutePrefix = lastDayPrefix + HOUR_MINUTE[minute - day * (MS_PER_DAY / MS_PER_MINUTE)];
    lastMinute = minute;
  }
  const rest = ms - minute * MS_PER_MINUTE;
  const seconds = Math.floor(rest / 1000);
  return lastMinutePrefix + (SECOND[seconds] + MILLISECOND[rest - seconds * 1000]);
}

export function isoFromEpochSeconds(value: unknown): string | undefined {
  return typeof value === "number" ? isoFromEpochMs(value * 1000) : undefined;
}

/** An ISO-8601 date-time with a zone (Z or offset), any sub-second precision, or undefined. */
export function isoFromText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  // Transports stamp records in our own form already (a Kinesis arrival time, an SNS Timestamp):
  // such a text is its own answer, with no parse and no formatting.
  if (isCanonicalIso(value)) return value;
  if (!ISO_8601.test(value)) return undefined;
  return isoFromEpochMs(Date.parse(value));
}

/** Exactly what formatIso writes: "YYYY-MM-DDTHH:MM:SS.mmmZ", UTC, milliseconds. */
const CANONICAL_ISO =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Whether a text is already in the form formatIso writes, for a date that exists. Date.parse rolls
 * a day past the month's end over (2026-02-30 reads as March 2), so those take the slow path, which
 * keeps that answer; a property test holds this fast path to the slow one.
 */
export function isCanonicalIso(value: string): boolean {
  if (value.length !== 24 || !CANONICAL_ISO.test(value)) return false;
  const day = digitsAt(value, 8, 2);
  return day <= 28 || day <= daysInMonth(digitsAt(value, 0, 4), digitsAt(value, 5, 2));
}

/** The decimal number written by `length` ASCII digits at `start` (the caller checked they are digits). */
export function digitsAt(value: string, start: number, length: number): number {
  let n = 0;
  for (let index = start; index < start + length; index++) n = n * 10 + value.charCodeAt(index) - 48;
  return n;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A Date or ISO string (SDKs hand over either), or undefined. */
export function isoFromDateLike(value: unknown): string | undefined {
  if (value instanceof Date) return isoFromEpochMs(value.getTime());
  return isoFromText(value);
}
