import type { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import type { Subscriber, SubscriberDirectory } from "../ports";
import { describeRawPhone } from "../redact";
import { normalizePhoneNumber } from "./phone";
import { CompactSeenSet, hashTaggedInto } from "./seen-set";
import { matchesSegment, type Segment } from "./segment";

/** One row of the audience, in file order: a sendable member or the reason it is not. */
export type AudienceEntry =
  | { kind: "member"; line: number; subscriber: Subscriber; country?: string }
  | {
      kind: "invalid_number";
      line: number;
      subscriberId?: string;
      /** The value as written, for the dead letter's raw bytes; the reason only masks it. */
      phoneNumber: string;
      reason: string;
    }
  | { kind: "duplicate"; line: number; subscriberId: string; reason: string }
  | { kind: "bad_row"; line: number; reason: string };

export interface AudienceOptions {
  segment?: Segment;
  /** Country for numbers written without +; default US. */
  defaultCountry?: string;
}

/** The audience cannot be read at all (as opposed to one bad row, which is reported and skipped). */
export class AudienceError extends Error {
  override name = "AudienceError";
}

const RESERVED_COLUMNS = new Set(["subscriber_id", "phone_number", "time_zone"]);

/**
 * Drops repeats of a subscriber id or a phone number, keeping the first. Memory stays flat at a
 * few bytes per member (see CompactSeenSet), so a million-row file plans in constant-ish memory.
 */
class DuplicateFilter {
  private readonly seen = new CompactSeenSet();
  /** The id's and the number's hash pairs, each hashed once per row. */
  private readonly hashes = new Uint32Array(4);

  firstSighting(subscriberId: string, e164: string): boolean {
    const hashes = this.hashes;
    hashTaggedInto("i:", subscriberId, hashes, 0);
    hashTaggedInto("p:", e164, hashes, 2);
    if (this.seen.hasHash(hashes[0], hashes[1]) || this.seen.hasHash(hashes[2], hashes[3])) return false;
    this.seen.addHash(hashes[0], hashes[1]);
    this.seen.addHash(hashes[2], hashes[3]);
    return true;
  }
}

function toEntry(
  line: number,
  subscriberId: string,
  phone: string,
  timeZone: string | undefined,
  attributes: Record<string, string>,
  duplicates: DuplicateFilter,
  defaultCountry: string,
): AudienceEntry {
  if (subscriberId === "") return { kind: "bad_row", line, reason: "subscriber_id is empty" };
  const normalized = normalizePhoneNumber(phone, defaultCountry);
  if (!normalized) {
    return {
      kind: "invalid_number",
      line,
      subscriberId,
      phoneNumber: phone,
      reason: `not a valid phone number (${describeRawPhone(phone)})`,
    };
  }
  if (!duplicates.firstSighting(subscriberId, normalized.e164)) {
    return { kind: "duplicate", line, subscriberId, reason: "repeats an earlier subscriber id or number" };
  }
  const subscriber: Subscriber = { subscriberId, phoneNumber: normalized.e164, attributes };
  if (timeZone) subscriber.timeZone = timeZone;
  return { kind: "member", line, subscriber, country: normalized.country };
}

/**
 * Streams a subscriber CSV (`subscriber_id`, `phone_number`, optional `time_zone`, any other
 * columns as attributes) row by row. Malformed rows come out as `bad_row` with their line number
 * and parsing carries on; only a missing required column stops the read.
 */
export async function* readAudienceCsv(
  input: Readable,
  options: AudienceOptions = {},
): AsyncGenerator<AudienceEntry> {
  const skipped: AudienceEntry[] = [];
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error: CsvError | undefined) => {
      const line = typeof error?.lines === "number" ? error.lines : 0;
      skipped.push({ kind: "bad_row", line, reason: error?.message ?? "unreadable row" });
      return undefined;
    },
  });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  const duplicates = new DuplicateFilter();
  const defaultCountry = options.defaultCountry ?? "US";
  let header: string[] | undefined;
  let idIndex = -1;
  let phoneIndex = -1;
  let zoneIndex = -1;

  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (skipped.length > 0) yield* skipped.splice(0);
    if (!header) {
      header = record;
      idIndex = header.indexOf("subscriber_id");
      phoneIndex = header.indexOf("phone_number");
      zoneIndex = header.indexOf("time_zone");
      const missing = ["subscriber_id", "phone_number"].filter((column) => !header?.includes(column));
      if (missing.length > 0) {
        parser.destroy();
        throw new AudienceError(`subscribers CSV is missing required column(s): ${missing.join(", ")}`);
      }
      continue;
    }
    const line = info.lines;
    if (record.length !== header.length) {
      yield {
        kind: "bad_row",
        line,
        reason: `has ${record.length} fields, the header has ${header.length}`,
      };
      continue;
    }
    const attributes: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) {
      if (!RESERVED_COLUMNS.has(header[i])) attributes[header[i]] = record[i];
    }
    if (options.segment && !matchesSegment(options.segment, attributes)) continue;
    const zone = zoneIndex >= 0 ? record[zoneIndex] : undefined;
    yield toEntry(
      line,
      record[idIndex],
      record[phoneIndex],
      zone || undefined,
      attributes,
      duplicates,
      defaultCountry,
    );
  }
  yield* skipped.splice(0);
  if (!header) throw new AudienceError("subscribers CSV is empty (no header row)");
}

/** The fields a message can insert: subscriber_id and every attribute column. */
export function templateFieldsOf(header: readonly string[]): string[] {
  return header.filter((column) => column === "subscriber_id" || !RESERVED_COLUMNS.has(column));
}

/** The header row of a subscriber CSV (empty for an empty file), without reading the rest. */
export async function readAudienceHeader(input: Readable): Promise<string[]> {
  const parser = input.pipe(parse({ bom: true, trim: true, skip_empty_lines: true, to_line: 1 }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record;
    return [];
  } finally {
    input.destroy();
  }
}

/** The same entries from the subscriber-directory port (line = position in the listing). */
export async function* readAudienceDirectory(
  directory: SubscriberDirectory,
  options: AudienceOptions = {},
): AsyncGenerator<AudienceEntry> {
  const duplicates = new DuplicateFilter();
  let position = 0;
  for await (const subscriber of directory.list()) {
    position++;
    if (options.segment && !matchesSegment(options.segment, subscriber.attributes)) continue;
    yield toEntry(
      position,
      subscriber.subscriberId,
      subscriber.phoneNumber,
      subscriber.timeZone,
      subscriber.attributes,
      duplicates,
      options.defaultCountry ?? "US",
    );
  }
}

/** Reads a one-column list of numbers (an opt-out CSV with a `phone_number` column) into E.164. */
export async function readPhoneNumberCsv(input: Readable, defaultCountry = "US"): Promise<Set<string>> {
  const numbers = new Set<string>();
  const parser = input.pipe(parse({ bom: true, trim: true, skip_empty_lines: true, columns: true }));
  let checked = false;
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    if (!checked) {
      if (!("phone_number" in row)) throw new AudienceError("opt-outs CSV is missing column: phone_number");
      checked = true;
    }
    const normalized = normalizePhoneNumber(row.phone_number ?? "", defaultCountry);
    if (normalized) numbers.add(normalized.e164);
  }
  return numbers;
}
