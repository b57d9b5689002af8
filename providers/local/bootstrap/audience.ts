/**
 * A synthetic audience for the local run, reproducible from a seed. Like a real export it is not
 * clean: some numbers already opted out, some are invalid, and some records carry no time zone or one
 * that does not exist, so the campaign's policies (opt-outs, validation, quiet hours) have work to do.
 */
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { mulberry32, pickWeighted, type Random } from "../run/prng";

export interface AudienceMember {
  subscriberId: string;
  /** As the source system holds it: usually E.164, sometimes not a valid number at all. */
  phoneNumber: string;
  /** An IANA zone, absent, or (for some records) a name that is not a zone. */
  timeZone?: string;
  firstName: string;
  /** Already on the opt-out list before the campaign starts. */
  optedOut: boolean;
}

export interface AudienceMix {
  optedOutRate: number;
  invalidRate: number;
  /** Records with no time zone (the campaign infers one from the number when it can). */
  missingZoneRate: number;
  /** Records whose zone is not an IANA name. */
  bogusZoneRate: number;
}

export const DEFAULT_AUDIENCE_MIX: AudienceMix = {
  optedOutRate: 0.03,
  invalidRate: 0.02,
  missingZoneRate: 0.05,
  bogusZoneRate: 0.01,
};

/** Where subscribers live: country, how to draw a national number, and the zone a record would carry. */
const REGIONS = [
  { weight: 30, prefix: "+1212", digits: 7, zone: "America/New_York" },
  { weight: 15, prefix: "+1312", digits: 7, zone: "America/Chicago" },
  { weight: 8, prefix: "+1303", digits: 7, zone: "America/Denver" },
  { weight: 15, prefix: "+1415", digits: 7, zone: "America/Los_Angeles" },
  { weight: 6, prefix: "+1305", digits: 7, zone: "America/New_York" },
  { weight: 2, prefix: "+1808", digits: 7, zone: "Pacific/Honolulu" },
  { weight: 6, prefix: "+1416", digits: 7, zone: "America/Toronto" },
  { weight: 6, prefix: "+447", digits: 9, zone: "Europe/London" },
  { weight: 4, prefix: "+4915", digits: 9, zone: "Europe/Berlin" },
  { weight: 3, prefix: "+346", digits: 8, zone: "Europe/Madrid" },
  { weight: 5, prefix: "+614", digits: 8, zone: "Australia/Sydney" },
] as const;

const FIRST_NAMES = [
  "Ana",
  "Ben",
  "Chloé",
  "Dev",
  "Emma",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jamal",
  "Kai",
  "Lena",
];
const INVALID_NUMBERS = [
  "+1212555",
  "12345",
  "+10115550199",
  "not a number",
  "+999123456789",
  "+1 (212) 555-01",
];
const BOGUS_ZONES = ["Mars/Olympus_Mons", "America/Gotham", "EST5", "Europe/Atlantis"];

const digitsFrom = (random: Random, count: number) =>
  Array.from(
    { length: count },
    (_, index) => Math.floor(random() * (index === 0 ? 8 : 10)) + (index === 0 ? 2 : 0),
  ).join("");

/** Draws until libphonenumber accepts the number (a few draws at most for these prefixes). */
function validNumber(random: Random, region: (typeof REGIONS)[number]): string {
  for (;;) {
    const candidate = `${region.prefix}${digitsFrom(random, region.digits)}`;
    if (normalizePhoneNumber(candidate)?.e164 === candidate) return candidate;
  }
}

export function generateAudience(
  size: number,
  seed: number,
  mix: AudienceMix = DEFAULT_AUDIENCE_MIX,
): AudienceMember[] {
  const random = mulberry32(seed);
  const seen = new Set<string>();
  const members: AudienceMember[] = [];
  for (let index = 0; index < size; index++) {
    const region = pickWeighted(
      random(),
      REGIONS.map((r) => [r, r.weight] as const),
    );
    const [invalidDraw, optOutDraw, zoneDraw, nameDraw, invalidPick, bogusPick] = Array.from(
      { length: 6 },
      random,
    );
    let phoneNumber =
      invalidDraw < mix.invalidRate ? INVALID_NUMBERS[Math.floor(invalidPick * INVALID_NUMBERS.length)] : "";
    if (!phoneNumber) {
      do phoneNumber = validNumber(random, region);
      while (seen.has(phoneNumber));
      seen.add(phoneNumber);
    }
    let timeZone: string | undefined = region.zone;
    if (zoneDraw < mix.missingZoneRate) timeZone = undefined;
    else if (zoneDraw < mix.missingZoneRate + mix.bogusZoneRate)
      timeZone = BOGUS_ZONES[Math.floor(bogusPick * BOGUS_ZONES.length)];
    members.push({
      subscriberId: `sub-${String(index + 1).padStart(6, "0")}`,
      phoneNumber,
      timeZone,
      firstName: FIRST_NAMES[Math.floor(nameDraw * FIRST_NAMES.length)],
      optedOut: optOutDraw < mix.optedOutRate,
    });
  }
  return members;
}

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The audience as the CSV file a marketer would upload (opt-outs live elsewhere, in the opt-out list). */
export function audienceCsv(members: AudienceMember[]): string {
  const header = "subscriber_id,phone_number,time_zone,first_name";
  const rows = members.map((member) =>
    [member.subscriberId, member.phoneNumber, member.timeZone ?? "", member.firstName]
      .map(csvField)
      .join(","),
  );
  return `${[header, ...rows].join("\n")}\n`;
}
