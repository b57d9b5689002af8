import { isStrictQuietHoursAreaCode, northAmericanAreaCode } from "./area-codes";

/** Hours of the recipient's local day when sending is allowed: [startHour, endHour). */
export interface SendWindow {
  startHour: number;
  endHour: number;
}

export const DEFAULT_SEND_WINDOW: SendWindow = { startHour: 8, endHour: 21 };
/** FL, CT, MD, OK and WA end the day at 20:00. */
export const STRICT_SEND_WINDOW: SendWindow = { startHour: 8, endHour: 20 };

export function sendWindowFor(e164: string, base: SendWindow = DEFAULT_SEND_WINDOW): SendWindow {
  const areaCode = northAmericanAreaCode(e164);
  if (areaCode && isStrictQuietHoursAreaCode(areaCode)) {
    return { startHour: base.startHour, endHour: Math.min(base.endHour, STRICT_SEND_WINDOW.endHour) };
  }
  return base;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export function localTimeIn(instant: Date, zone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function zoneOffsetMs(instant: Date, zone: string): number {
  const local = localTimeIn(instant, zone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a local wall-clock time occurs in a zone (the later one if a DST gap skips it). */
export function instantOfLocalTime(
  zone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall - zoneOffsetMs(new Date(wall), zone);
  // A second pass settles guesses that crossed a DST change.
  guess = wall - zoneOffsetMs(new Date(guess), zone);
  return new Date(guess);
}

/**
 * Every zone's hours change on a UTC minute boundary, so "allowed?" and "next window start" are the
 * same for every instant of a UTC minute: cache them per (zone, window, minute). Planning a million
 * rows then formats a date a handful of times instead of a million.
 */
const minuteCache = new Map<string, { allowed: boolean; nextStart?: number }>();
const MINUTE_CACHE_LIMIT = 10_000;

function cachedMinute(instant: Date, zone: string, window: SendWindow) {
  const key = `${zone}|${window.startHour}|${window.endHour}|${Math.floor(instant.getTime() / 60_000)}`;
  let entry = minuteCache.get(key);
  if (!entry) {
    const { hour } = localTimeIn(instant, zone);
    entry = { allowed: hour >= window.startHour && hour < window.endHour };
    if (minuteCache.size >= MINUTE_CACHE_LIMIT) minuteCache.clear();
    minuteCache.set(key, entry);
  }
  return entry;
}

function isAllowedIn(instant: Date, zone: string, window: SendWindow): boolean {
  return cachedMinute(instant, zone, window).allowed;
}

export function isWithinSendWindow(instant: Date, zones: string[], window: SendWindow): boolean {
  return zones.every((zone) => isAllowedIn(instant, zone, window));
}

/** The next start of the window in one zone, at or after `instant`. */
function nextWindowStartIn(instant: Date, zone: string, window: SendWindow): Date {
  const cached = cachedMinute(instant, zone, window);
  if (cached.allowed) return instant;
  cached.nextStart ??= computeNextWindowStart(instant, zone, window).getTime();
  return new Date(cached.nextStart);
}

function computeNextWindowStart(instant: Date, zone: string, window: SendWindow): Date {
  const local = localTimeIn(instant, zone);
  // Before the window: today's start. After it: tomorrow's (Date.UTC rolls the day over months).
  const dayOffset = local.hour < window.startHour ? 0 : 1;
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day + dayOffset));
  return instantOfLocalTime(
    zone,
    day.getUTCFullYear(),
    day.getUTCMonth() + 1,
    day.getUTCDate(),
    window.startHour,
  );
}

/**
 * The first instant at or after `instant` that is inside the window in every zone. Zones that
 * never share an allowed hour (impossible for real straddling area codes) yield undefined.
 */
export function nextSendInstant(instant: Date, zones: string[], window: SendWindow): Date | undefined {
  let candidate = instant;
  for (let attempt = 0; attempt < 8; attempt++) {
    if (isWithinSendWindow(candidate, zones, window)) return candidate;
    const starts = zones.map((zone) => nextWindowStartIn(candidate, zone, window).getTime());
    candidate = new Date(Math.max(...starts));
  }
  return undefined;
}
