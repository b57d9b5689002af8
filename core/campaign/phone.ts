import { parsePhoneNumberFromString } from "libphonenumber-js";

export interface NormalizedNumber {
  e164: string;
  /** ISO 3166-1 alpha-2, when the number maps to one country. */
  country?: string;
}

/**
 * Validates and normalizes to E.164. Numbers without a leading + are read as `defaultCountry`
 * (US unless told otherwise). Returns undefined for anything that is not a valid number.
 */
export function normalizePhoneNumber(raw: string, defaultCountry = "US"): NormalizedNumber | undefined {
  const text = raw.trim();
  if (text === "") return undefined;
  const parsed = parsePhoneNumberFromString(text, {
    defaultCountry: defaultCountry as never,
    extract: false,
  });
  if (!parsed?.isValid()) return undefined;
  return { e164: parsed.number, country: parsed.country };
}
