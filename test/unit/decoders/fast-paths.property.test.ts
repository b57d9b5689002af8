/**
 * The decoders' per-event shortcuts (issue 12) give exactly what the general code gives: each is
 * checked against the slow path it skips, over every input shape it claims.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../../core/events";
import { messageTypeOf } from "../../../core/events/formats/build";
import { e164Of, normalizePhone } from "../../../core/events/formats/phone";
import { formatIso, isCanonicalIso, isoFromText } from "../../../core/events/formats/time";
import { numberText } from "../../../core/events/formats/values";
import { fixtureJson } from "./fixtures";

const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;

describe("decoder fast paths", () => {
  it("writes any number as String() does", () => {
    const numbers = fc.oneof(
      fc.double(),
      fc.maxSafeInteger(),
      fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
      fc.integer({ min: 999_000, max: 1_001_000_000 }),
      fc.constantFrom(1e6 - 1, 1e6, 1e6 + 1, 1e15 - 1, 1e15, 1e15 + 1, 2 ** 53 - 1, 2 ** 53, -1e6, -0, 0.5),
    );
    fc.assert(
      fc.property(numbers, (n) => {
        expect(numberText(n)).toBe(String(n));
      }),
      { numRuns: 20_000 },
    );
  });

  it("formats runs of nearby times (one day, one minute) as Date#toISOString does", () => {
    const runs = fc.record({
      start: fc.integer({ min: MIN_MS, max: MAX_MS - 10_000_000 }),
      steps: fc.array(fc.integer({ min: 0, max: 70_000 }), { minLength: 1, maxLength: 50 }),
    });
    fc.assert(
      fc.property(runs, ({ start, steps }) => {
        let ms = start;
        for (const step of steps) {
          ms += step;
          expect(formatIso(ms)).toBe(new Date(ms).toISOString());
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("passes a canonical UTC text through exactly when parsing and formatting it gives it back", () => {
    const digits = (length: number) =>
      fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: length, maxLength: length });
    // Every digit may be anything, so days past the month's end, hour 24 and second 60 all come up.
    const canonicalShaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const nearlyValid = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 24 }),
      )
      .map(([y, mo, d, h]) => `${String(y).padStart(4, "0")}-${pad(mo)}-${pad(d)}T${pad(h)}:59:59.999Z`);
    fc.assert(
      fc.property(fc.oneof(canonicalShaped, nearlyValid), (text) => {
        const parsed = Date.parse(text);
        const slow = Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
        expect(isoFromText(text)).toBe(slow);
        expect(isCanonicalIso(text)).toBe(slow === text);
      }),
      { numRuns: 20_000 },
    );
    for (const leap of ["2024-02-29T00:00:00.000Z", "2000-02-29T23:59:59.999Z"])
      expect(isCanonicalIso(leap)).toBe(true);
    for (const rolled of [
      "2026-02-29T00:00:00.000Z",
      "1900-02-29T00:00:00.000Z",
      "2026-04-31T00:00:00.000Z",
    ]) {
      expect(isCanonicalIso(rolled)).toBe(false);
      expect(isoFromText(rolled)).toBe(new Date(Date.parse(rolled)).toISOString());
    }
  });

  it("gives every North American E.164 number back as libphonenumber does, and defers anything else to it", () => {
    for (let areaCode = 200; areaCode <= 999; areaCode++) {
      for (let exchangeLead = 2; exchangeLead <= 9; exchangeLead++) {
        const number = `+1${areaCode}${exchangeLead}${String((areaCode * 7919 + exchangeLead * 104_729) % 1_000_000).padStart(6, "0")}`;
        expect(e164Of(number)).toBe(number);
        expect(normalizePhone(number)?.e164).toBe(number);
      }
    }
    const phoneLike = fc.oneof(
      fc.string({ unit: fc.constantFrom(..."+0123456789 ()-."), maxLength: 18 }),
      fc.stringMatching(/^\+1\d{10}$/),
      fc.string(),
    );
    fc.assert(
      fc.property(phoneLike, (raw) => {
        expect(e164Of(raw)).toBe(normalizePhone(raw)?.e164);
      }),
      { numRuns: 5000 },
    );
  });

  it("reads the payload's country and message type as before: any letter case, nothing else", () => {
    const eum = fixtureJson("eum-text-delivered.derived.json") as Record<string, unknown>;
    const decode = (fields: Record<string, unknown>) => {
      const result = decodeRecord(JSON.stringify({ ...eum, ...fields }));
      if (!result.ok) throw new Error(result.error.reason);
      return result.events[0];
    };
    const cases: [unknown, string | undefined][] = [
      ["US", "US"],
      ["ca", "CA"],
      ["Ca", "CA"],
      ["U1", "US"],
      ["USA", "US"],
      ["", "US"],
      [7, "US"],
      ["É1", "US"],
    ];
    // An invalid payload country falls back to the number's own (+1 425 is in the US).
    for (const [isoCountryCode, expected] of cases)
      expect(decode({ isoCountryCode }).countryCode).toBe(expected);
    expect(decode({ isoCountryCode: "GB", destinationPhoneNumber: "+14255550156" }).countryCode).toBe("GB");
    for (const [given, expected] of [
      ["PROMOTIONAL", "promotional"],
      ["Transactional", "transactional"],
      ["TRANSACTIONAL", "transactional"],
      ["promotional", "promotional"],
      ["marketing", undefined],
    ] as const)
      expect(messageTypeOf(given)).toBe(expected);
  });
});

const pad = (n: number) => String(n).padStart(2, "0");
