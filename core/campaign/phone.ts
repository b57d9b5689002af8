import { parsePhoneNumberFromString } from "libphonenumber-js";
import { NANP_E164, NanpVerdicts } from "./nanp-verdicts";

export interface NormalizedNumber {
  e164: string;
  /** ISO 3166-1 alpha-2, when the number maps to one country. */
  country?: string;
}

/**
 * A full libphonenumber parse and validation costs more than everything else a planned row does,
 * and audiences and opt-out lists repeat numbers: each distinct (country, text) is validated once.
 * Bounded, so a million-row file keeps flat memory: when full it starts over.
 */
const MEMO_LIMIT = 20_000;
const memo = new Map<string, Map<string, NormalizedNumber | null>>();
let memoSize = 0;
/**
 * Most audiences are +1 numbers already in E.164, mostly distinct, so the memo misses: those share
 * one parse per prefix that provably settles the verdict (see nanp-verdicts.ts).
 */
const nanpVerdicts = new Map<string, NanpVerdicts>();

/**
 * Validates and normalizes to E.164. Numbers without a leading + are read as `defaultCountry`
 * (US unless told otherwise). Returns undefined for anything that is not a valid number.
 */
export function normalizePhoneNumber(raw: string, defaultCountry = "US"): NormalizedNumber | undefined {
  if (NANP_E164.test(raw)) {
    let verdicts = nanpVerdicts.get(defaultCountry);
    if (verdicts === undefined) {
      verdicts = new NanpVerdicts();
      nanpVerdicts.set(defaultCountry, verdicts);
    }
    const verdict = verdicts.verdictFor(raw, () => validate(raw, defaultCountry));
    if (verdict !== undefined) return verdict.valid ? { e164: raw, country: verdict.country } : undefined;
  }
  let known = memo.get(defaultCountry);
  if (known === undefined) {
    known = new Map();
    memo.set(defaultCountry, known);
  }
  const cached = known.get(raw);
  if (cached !== undefined) return cached ?? undefined;
  const result = validate(raw, defaultCountry);
  if (memoSize >= MEMO_LIMIT) {
    for (const numbers of memo.values()) numbers.clear();
    memoSize = 0;
  }
  // Frozen: every caller shares the one result.
  known.set(raw, result ? Object.freeze(result) : null);
  memoSize++;
  return result;
}

function validate(raw: string, defaultCountry: string): NormalizedNumber | undefined {
  const text = raw.trim();
  if (text === "") return undefined;
  const parsed = parsePhoneNumberFromString(text, {
    defaultCountry: defaultCountry as never,
    extract: false,
  });
  if (!parsed?.isValid()) return undefined;
  return { e164: parsed.number, country: parsed.country };
}
