import { Metadata } from "libphonenumber-js";
import { DigitPattern } from "./digit-pattern";

/**
 * libphonenumber's verdict on a +1 number, shared by every number of a prefix that settles it.
 *
 * Why sharing is exact: for a string `+1` followed by ten digits, the first of them 2-9, the parse
 * (parsePhoneNumberFromString with extract: false, then isValid) treats all digits alike except
 * where it tests the ten national digits against the metadata patterns of the +1 countries: each
 * country's leading digits, national number pattern and type patterns, and the main country's
 * national prefix. Lengths are fixed. So when every one of those patterns matches either all or
 * none of the ten-digit numbers starting with a prefix (DigitPattern answers that exactly), every
 * such number takes the same path, gets the same validity and country, and comes out as itself.
 * One full parse per settled prefix then speaks for all its numbers; a prefix that no pattern
 * settles by the ninth digit is parsed number by number.
 */
export const NANP_E164 = /^\+1[2-9]\d{9}$/;

const NATIONAL_LENGTH = 10;
const SHORTEST_PREFIX = 3;
const NUMBER_TYPES = [
  "FIXED_LINE",
  "MOBILE",
  "TOLL_FREE",
  "PREMIUM_RATE",
  "SHARED_COST",
  "VOIP",
  "PERSONAL_NUMBER",
  "PAGER",
  "UAN",
  "VOICEMAIL",
] as const;

/** The parts of libphonenumber's Metadata class this reads (untyped in its declarations). */
interface MetadataReader {
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  selectNumberingPlan(country: string): void;
  numberingPlan: {
    nationalNumberPattern(): string;
    leadingDigits(): string | undefined;
    nationalPrefixForParsing(): string | undefined;
    type(type: string): { pattern(): string } | undefined;
  };
}

interface NanpPatterns {
  /** Must answer all or none for a prefix to settle. */
  tested: DigitPattern[];
  /** The national prefix the parse would strip: must answer none. */
  nationalPrefix?: DigitPattern;
}

/** Undefined when the metadata uses syntax DigitPattern does not read: then nothing is shared. */
function loadPatterns(): NanpPatterns | undefined {
  try {
    const metadata = new Metadata() as unknown as MetadataReader;
    const countries = metadata.getCountryCodesForCallingCode("1") ?? [];
    const tested: DigitPattern[] = [];
    for (const country of countries) {
      metadata.selectNumberingPlan(country);
      const plan = metadata.numberingPlan;
      const leading = plan.leadingDigits();
      if (leading) tested.push(new DigitPattern(leading, "start"));
      tested.push(new DigitPattern(plan.nationalNumberPattern()));
      for (const type of NUMBER_TYPES) {
        const pattern = plan.type(type)?.pattern();
        if (pattern) tested.push(new DigitPattern(pattern));
      }
    }
    metadata.selectNumberingPlan(countries[0]);
    const prefix = metadata.numberingPlan.nationalPrefixForParsing();
    return { tested, nationalPrefix: prefix ? new DigitPattern(prefix, "start") : undefined };
  } catch {
    return undefined;
  }
}

let patterns: NanpPatterns | undefined | null = null;

function nanpPatterns(): NanpPatterns | undefined {
  if (patterns === null) patterns = loadPatterns();
  return patterns;
}

/** Whether every number of ten national digits starting with `prefix` gets one verdict. */
export function prefixSettlesVerdict(prefix: string): boolean {
  const known = nanpPatterns();
  if (!known) return false;
  if (known.nationalPrefix && known.nationalPrefix.answerFor(prefix, NATIONAL_LENGTH) !== "none")
    return false;
  return known.tested.every((pattern) => pattern.answerFor(prefix, NATIONAL_LENGTH) !== "some");
}

export interface NanpVerdict {
  valid: boolean;
  country?: string;
}

/** Not settled at this prefix: look at a longer one. */
const UNSETTLED = "unsettled";
/** Settled, but no number of it parsed yet. */
const PENDING = "pending";
type PrefixEntry = typeof UNSETTLED | typeof PENDING | NanpVerdict;

/** Distinct prefixes remembered (a few bytes each); when full it starts over. */
const PREFIX_LIMIT = 50_000;

/**
 * Remembers, per prefix, whether it settles the verdict and what the verdict is. One per default
 * country, because the parse is given it (it does not change the verdict on a +1 number, but an
 * unknown default country makes the parse throw, and that must still happen).
 */
export class NanpVerdicts {
  /** By prefix length - SHORTEST_PREFIX, keyed by the prefix's digits as an integer (no string per row). */
  private readonly entries: Map<number, PrefixEntry>[] = Array.from(
    { length: NATIONAL_LENGTH - SHORTEST_PREFIX },
    () => new Map(),
  );
  private size = 0;

  /**
   * The shared verdict for `e164` (which matches NANP_E164), parsing it with `parse` when its
   * prefix is settled but not yet seen; undefined when no prefix settles it (parse it alone).
   */
  verdictFor(
    e164: string,
    parse: () => { e164: string; country?: string } | undefined,
  ): NanpVerdict | undefined {
    let digits = 0;
    for (let i = 2; i < 2 + SHORTEST_PREFIX - 1; i++) digits = digits * 10 + e164.charCodeAt(i) - 48;
    for (let length = SHORTEST_PREFIX; length < NATIONAL_LENGTH; length++) {
      digits = digits * 10 + e164.charCodeAt(length + 1) - 48;
      const known = this.entries[length - SHORTEST_PREFIX];
      let entry = known.get(digits);
      if (entry === undefined) {
        entry = prefixSettlesVerdict(e164.slice(2, 2 + length)) ? PENDING : UNSETTLED;
        this.remember(known, digits, entry);
      }
      if (entry === UNSETTLED) continue;
      if (entry === PENDING) {
        const parsed = parse();
        // The argument above says a valid number comes out as itself; should it not, share nothing.
        if (parsed && parsed.e164 !== e164) {
          this.remember(known, digits, UNSETTLED);
          return undefined;
        }
        entry = parsed ? { valid: true, country: parsed.country } : { valid: false };
        this.remember(known, digits, entry);
      }
      return entry;
    }
    return undefined;
  }

  private remember(known: Map<number, PrefixEntry>, digits: number, entry: PrefixEntry): void {
    if (!known.has(digits)) {
      if (this.size >= PREFIX_LIMIT) {
        for (const map of this.entries) map.clear();
        this.size = 0;
      }
      this.size++;
    }
    known.set(digits, entry);
  }
}
