import { describe, expect, it } from "vitest";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { isValidTimeZone } from "../../../core/campaign/time-zone";
import { audienceCsv, generateAudience } from "../../../providers/local/bootstrap/audience";

describe("the synthetic audience", () => {
  const audience = generateAudience(5_000, 42);

  it("is the same for the same seed and differs for another", () => {
    expect(generateAudience(200, 42)).toEqual(audience.slice(0, 200));
    expect(generateAudience(200, 43)).not.toEqual(audience.slice(0, 200));
  });

  it("contains opted-out subscribers, invalid numbers, missing and bogus time zones", () => {
    const invalid = audience.filter((member) => !normalizePhoneNumber(member.phoneNumber));
    const optedOut = audience.filter((member) => member.optedOut);
    const missingZone = audience.filter((member) => member.timeZone === undefined);
    const bogusZone = audience.filter((member) => member.timeZone && !isValidTimeZone(member.timeZone));
    for (const group of [invalid, optedOut, missingZone, bogusZone]) expect(group.length).toBeGreaterThan(10);
    expect(invalid.length / audience.length).toBeCloseTo(0.02, 1);
  });

  it("gives every valid subscriber a distinct E.164 number and a distinct id", () => {
    const valid = audience.filter(
      (member) => normalizePhoneNumber(member.phoneNumber)?.e164 === member.phoneNumber,
    );
    expect(new Set(valid.map((member) => member.phoneNumber)).size).toBe(valid.length);
    expect(new Set(audience.map((member) => member.subscriberId)).size).toBe(audience.length);
  });

  it("writes a CSV with one row per subscriber and quotes fields that need it", () => {
    const csv = audienceCsv(audience.slice(0, 10));
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("subscriber_id,phone_number,time_zone,first_name");
    expect(lines).toHaveLength(11);
    expect(audienceCsv([{ ...audience[0], firstName: 'Ann "A", B' }])).toContain('"Ann ""A"", B"');
  });
});
