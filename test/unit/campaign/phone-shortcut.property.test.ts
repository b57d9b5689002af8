import fc from "fast-check";
import { Metadata, parsePhoneNumberFromString } from "libphonenumber-js";
import { describe, expect, it } from "vitest";
import { DigitPattern } from "../../../core/campaign/digit-pattern";
import { NanpVerdicts, prefixSettlesVerdict } from "../../../core/campaign/nanp-verdicts";
import { normalizePhoneNumber } from "../../../core/campaign/phone";

/** The full parse, as phone.ts did it for every number before the shortcut. */
function fullParse(raw: string, defaultCountry = "US") {
  const parsed = parsePhoneNumberFromString(raw.trim(), {
    defaultCountry: defaultCountry as never,
    extract: false,
  });
  return parsed?.isValid() ? { e164: parsed.number, country: parsed.country } : undefined;
}

/** Every pattern the +1 countries' metadata holds (the ones the shortcut reasons about). */
function nanpPatternSources(): string[] {
  const metadata = new Metadata() as unknown as {
    getCountryCodesForCallingCode(code: string): string[];
    selectNumberingPlan(country: string): void;
    numberingPlan: { nationalNumberPattern(): string; type(t: string): { pattern(): string } | undefined };
  };
  const sources: string[] = [];
  for (const country of metadata.getCountryCodesForCallingCode("1")) {
    metadata.selectNumberingPlan(country);
    sources.push(metadata.numberingPlan.nationalNumberPattern());
    for (const type of [
      "FIXED_LINE",
      "MOBILE",
      "TOLL_FREE",
      "PREMIUM_RATE",
      "PERSONAL_NUMBER",
      "VOIP",
      "UAN",
    ]) {
      const pattern = metadata.numberingPlan.type(type)?.pattern();
      if (pattern) sources.push(pattern);
    }
  }
  return sources;
}

const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: length, maxLength: length });

describe("DigitPattern", () => {
  it("matches exactly what the RegExp matches, for every +1 metadata pattern", () => {
    const patterns = nanpPatternSources().map((source) => ({
      ours: new DigitPattern(source),
      regexp: new RegExp(`^(?:${source})$`),
    }));
    fc.assert(
      fc.property(fc.nat({ max: patterns.length - 1 }), digits(10), (index, number) => {
        expect(patterns[index].ours.matches(number)).toBe(patterns[index].regexp.test(number));
      }),
      { numRuns: 3_000 },
    );
  });

  it("answers all, none or some for a prefix, and every completion agrees with the RegExp", () => {
    const source = "52(?:3(?:[2-46-9][02-9]\\d|5(?:[02-46-9]\\d|5[0-46-9])))\\d{4}|8(?:00|33)[2-9]\\d{6}";
    const pattern = new DigitPattern(source);
    const regexp = new RegExp(`^(?:${source})$`);
    expect(pattern.answerFor("800", 10)).toBe("some");
    expect(pattern.answerFor("8002", 10)).toBe("all");
    expect(pattern.answerFor("8001", 10)).toBe("none");
    expect(pattern.answerFor("212", 10)).toBe("none");
    expect(pattern.answerFor("5232", 10)).toBe("some");
    fc.assert(
      fc.property(digits(10), fc.nat({ max: 9 }), (number, cut) => {
        const answer = pattern.answerFor(number.slice(0, cut), 10);
        if (answer === "all") expect(regexp.test(number)).toBe(true);
        if (answer === "none") expect(regexp.test(number)).toBe(false);
      }),
      { numRuns: 3_000 },
    );
  });

  it("reads a leading-digits pattern as a match at the start, and refuses syntax it does not know", () => {
    const leading = new DigitPattern("8001|8[024]9", "start");
    expect(leading.answerFor("8001", 10)).toBe("all");
    expect(leading.answerFor("829", 10)).toBe("all");
    expect(leading.answerFor("800", 10)).toBe("some");
    expect(leading.answerFor("212", 10)).toBe("none");
    expect(() => new DigitPattern("([457]\\d{6})$|1", "start")).toThrow(/unsupported/);
    expect(() => new DigitPattern("\\d+?")).toThrow(/unsupported/);
  });
});

describe("the +1 shortcut", () => {
  it("settles a US area code at the exchange's first digit, and not before", () => {
    expect(prefixSettlesVerdict("212")).toBe(false);
    expect(prefixSettlesVerdict("2125")).toBe(true);
    expect(prefixSettlesVerdict("2121")).toBe(true);
  });

  it("gives the full parse's verdict for any +1 number, whatever order the numbers come in", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 200, max: 999 }), digits(7)), { minLength: 1, maxLength: 40 }),
        (numbers) => {
          for (const [areaCode, rest] of numbers) {
            const raw = `+1${areaCode}${rest}`;
            expect(normalizePhoneNumber(raw)).toEqual(fullParse(raw));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("agrees with the full parse on every area code, both sides of each exchange rule", () => {
    for (let areaCode = 200; areaCode <= 999; areaCode++) {
      for (const exchange of ["0", "1", "2", "5", "9"]) {
        const raw = `+1${areaCode}${exchange}555019`;
        expect(normalizePhoneNumber(raw), raw).toEqual(fullParse(raw));
      }
    }
  });

  it("shares one parse among the numbers of a settled prefix", () => {
    const verdicts = new NanpVerdicts();
    let parses = 0;
    const parse = (raw: string) => () => {
      parses++;
      return fullParse(raw);
    };
    for (const raw of ["+12125550101", "+12125550102", "+12125999999"]) {
      expect(verdicts.verdictFor(raw, parse(raw))).toEqual({ valid: true, country: "US" });
    }
    expect(parses).toBe(1);
    expect(verdicts.verdictFor("+12121550101", parse("+12121550101"))).toEqual({ valid: false });
    expect(parses).toBe(2);
  });

  it("answers as the full parse does under any default country, a made-up one included", () => {
    for (const country of ["US", "GB", "CA", "XX"]) {
      expect(normalizePhoneNumber("+12125550101", country)).toEqual(fullParse("+12125550101", country));
      expect(normalizePhoneNumber("+18005550101", country)).toEqual(fullParse("+18005550101", country));
    }
  });
});
