import { northAmericanAreaCode, zonesForAreaCode } from "./area-codes";

/** Countries that sit in one zone; numbers of multi-zone countries (AU, BR, MX, RU, ID...) need a record. */
const SINGLE_ZONE_COUNTRIES: Record<string, string> = {
  AE: "Asia/Dubai",
  AR: "America/Argentina/Buenos_Aires",
  AT: "Europe/Vienna",
  BE: "Europe/Brussels",
  CH: "Europe/Zurich",
  CN: "Asia/Shanghai",
  CO: "America/Bogota",
  CZ: "Europe/Prague",
  DE: "Europe/Berlin",
  DK: "Europe/Copenhagen",
  EG: "Africa/Cairo",
  FI: "Europe/Helsinki",
  FR: "Europe/Paris",
  GB: "Europe/London",
  GG: "Europe/London",
  IM: "Europe/London",
  JE: "Europe/London",
  GR: "Europe/Athens",
  HK: "Asia/Hong_Kong",
  HU: "Europe/Budapest",
  IE: "Europe/Dublin",
  IL: "Asia/Jerusalem",
  IN: "Asia/Kolkata",
  IT: "Europe/Rome",
  JP: "Asia/Tokyo",
  KE: "Africa/Nairobi",
  KR: "Asia/Seoul",
  MY: "Asia/Kuala_Lumpur",
  NG: "Africa/Lagos",
  NL: "Europe/Amsterdam",
  NO: "Europe/Oslo",
  NZ: "Pacific/Auckland",
  PE: "America/Lima",
  PH: "Asia/Manila",
  PL: "Europe/Warsaw",
  RO: "Europe/Bucharest",
  SA: "Asia/Riyadh",
  SE: "Europe/Stockholm",
  SG: "Asia/Singapore",
  TH: "Asia/Bangkok",
  TR: "Europe/Istanbul",
  VN: "Asia/Ho_Chi_Minh",
  ZA: "Africa/Johannesburg",
};

const validZones = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = validZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    validZones.set(zone, valid);
  }
  return valid;
}

/**
 * The zones a recipient may be in: the record's zone when it is a valid IANA name, else inferred
 * from the number (North American area code, or a single-zone country). Undefined means unknown.
 */
export function recipientZones(e164: string, country?: string, recordZone?: string): string[] | undefined {
  if (recordZone && isValidTimeZone(recordZone)) return [recordZone];
  const areaCode = northAmericanAreaCode(e164);
  if (areaCode) return zonesForAreaCode(areaCode);
  return country && SINGLE_ZONE_COUNTRIES[country] ? [SINGLE_ZONE_COUNTRIES[country]] : undefined;
}
