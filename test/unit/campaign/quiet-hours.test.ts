import { describe, expect, it } from "vitest";
import { assessMessage, timingOf } from "../../../core/campaign/policy";
import {
  DEFAULT_SEND_WINDOW,
  isWithinSendWindow,
  nextSendInstant,
  sendWindowFor,
} from "../../../core/campaign/quiet-hours";
import { recipientZones } from "../../../core/campaign/time-zone";

const timingFor = (phoneNumber: string, at: string, timeZone?: string, country = "US") =>
  timingOf(
    assessMessage({ subscriberId: "s", phoneNumber, timeZone, attributes: {} }, country, "hello"),
    new Date(at),
  );

describe("quiet hours in the recipient's local time", () => {
  it.each([
    // [case, number, UTC instant, expected: "now" or the next allowed instant]
    ["New York 09:00 EDT is inside the window", "+12125551234", "2026-06-15T13:00:00Z", "now"],
    [
      "New York 07:59 EDT waits for 08:00 EDT",
      "+12125551234",
      "2026-06-15T11:59:00Z",
      "2026-06-15T12:00:00.000Z",
    ],
    [
      "New York 21:00 EDT waits for 08:00 next day",
      "+12125551234",
      "2026-06-16T01:00:00Z",
      "2026-06-16T12:00:00.000Z",
    ],
    [
      "New York 20:30 EDT is still allowed (not a strict state)",
      "+12125551234",
      "2026-06-16T00:30:00Z",
      "now",
    ],
    [
      "Los Angeles 07:00 PDT waits for 08:00 PDT",
      "+13105551234",
      "2026-06-15T14:00:00Z",
      "2026-06-15T15:00:00.000Z",
    ],
    ["Chicago 20:59 CDT is allowed", "+13125551234", "2026-06-16T01:59:00Z", "now"],
    [
      "Denver 22:00 MDT waits until 08:00 MDT",
      "+13035551234",
      "2026-06-16T04:00:00Z",
      "2026-06-16T14:00:00.000Z",
    ],
    [
      "Phoenix does not observe DST: 08:00 MST is 15:00 UTC",
      "+16025551234",
      "2026-06-15T14:30:00Z",
      "2026-06-15T15:00:00.000Z",
    ],
    [
      "Honolulu 07:00 HST waits for 08:00 HST",
      "+18085551234",
      "2026-06-15T17:00:00Z",
      "2026-06-15T18:00:00.000Z",
    ],
    // the five stricter states end at 20:00
    ["Florida (305) 20:30 EDT is quiet", "+13055551234", "2026-06-16T00:30:00Z", "2026-06-16T12:00:00.000Z"],
    [
      "Connecticut (203) 20:00 EDT is quiet",
      "+12035551234",
      "2026-06-16T00:00:00Z",
      "2026-06-16T12:00:00.000Z",
    ],
    ["Maryland (410) 20:15 EDT is quiet", "+14105551234", "2026-06-16T00:15:00Z", "2026-06-16T12:00:00.000Z"],
    ["Oklahoma (405) 20:30 CDT is quiet", "+14055551234", "2026-06-16T01:30:00Z", "2026-06-16T13:00:00.000Z"],
    [
      "Washington (206) 20:05 PDT is quiet",
      "+12065551234",
      "2026-06-16T03:05:00Z",
      "2026-06-16T15:00:00.000Z",
    ],
    ["Washington (206) 19:59 PDT is allowed", "+12065551234", "2026-06-16T02:59:00Z", "now"],
    // an area code straddling two zones must be allowed in both
    [
      "Florida panhandle 850 at 08:30 EDT is 07:30 CDT: waits for 08:00 CDT",
      "+18505551234",
      "2026-06-15T12:30:00Z",
      "2026-06-15T13:00:00.000Z",
    ],
    // DST changes
    [
      "US spring-forward day: 00:00 EST waits for 08:00 EDT (12:00 UTC)",
      "+12125551234",
      "2026-03-08T05:00:00Z",
      "2026-03-08T12:00:00.000Z",
    ],
    [
      "US fall-back day: 07:30 EST waits for 08:00 EST (13:00 UTC)",
      "+12125551234",
      "2026-11-01T12:30:00Z",
      "2026-11-01T13:00:00.000Z",
    ],
    [
      "the evening before US spring-forward resumes at 08:00 EDT",
      "+12125551234",
      "2026-03-08T02:30:00Z",
      "2026-03-08T12:00:00.000Z",
    ],
  ])("%s", (_case, phone, at, expected) => {
    const timing = timingFor(phone, at);
    if (expected === "now") expect(timing).toEqual({ kind: "now" });
    else expect(timing).toEqual({ kind: "quiet_hours", notBefore: new Date(expected) });
  });

  it.each([
    [
      "London before BST starts: 07:30 GMT waits for 08:00 GMT",
      "2026-03-28T07:30:00Z",
      "2026-03-28T08:00:00.000Z",
    ],
    ["London on the BST change day: 07:30 UTC is 08:30 BST, allowed", "2026-03-29T07:30:00Z", "now"],
    [
      "London in summer: 06:30 UTC is 07:30 BST, waits until 07:00 UTC",
      "2026-07-01T06:30:00Z",
      "2026-07-01T07:00:00.000Z",
    ],
    ["London after 21:00 GMT waits for the next morning", "2026-12-01T21:10:00Z", "2026-12-02T08:00:00.000Z"],
  ])("%s (zone inferred from the +44 country code)", (_case, at, expected) => {
    const timing = timingFor("+447400123456", at, undefined, "GB");
    if (expected === "now") expect(timing).toEqual({ kind: "now" });
    else expect(timing).toEqual({ kind: "quiet_hours", notBefore: new Date(expected) });
  });

  it("prefers the subscriber record's time zone over the number's", () => {
    // A New York number whose owner lives in Tokyo: 10:00 JST is allowed though it is 21:00 in New York.
    expect(timingFor("+12125551234", "2026-06-15T01:00:00Z", "Asia/Tokyo")).toEqual({ kind: "now" });
    expect(timingFor("+12125551234", "2026-06-15T13:00:00Z", "Asia/Tokyo").kind).toBe("quiet_hours");
  });

  it("holds a number whose zone cannot be known instead of sending blind", () => {
    expect(recipientZones("+18005551234", "US")).toBeUndefined();
    expect(timingFor("+18005551234", "2026-06-15T16:00:00Z")).toEqual({ kind: "unknown_time_zone" });
    expect(timingFor("+61412345678", "2026-06-15T01:00:00Z", undefined, "AU")).toEqual({
      kind: "unknown_time_zone",
    });
  });

  it("falls back to the number when the record's zone is not a real IANA zone", () => {
    expect(recipientZones("+12125551234", "US", "Mars/Olympus")).toEqual(["America/New_York"]);
  });

  it("narrows the window to 20:00 only for the five stricter states", () => {
    expect(sendWindowFor("+13055551234").endHour).toBe(20);
    expect(sendWindowFor("+12125551234").endHour).toBe(21);
    expect(sendWindowFor("+447400123456")).toEqual(DEFAULT_SEND_WINDOW);
  });

  it("always returns an instant that is inside the window in every zone", () => {
    const zones = ["America/New_York", "America/Chicago"];
    for (let hour = 0; hour < 48; hour++) {
      const at = new Date(Date.UTC(2026, 2, 7, hour, 17));
      const next = nextSendInstant(at, zones, DEFAULT_SEND_WINDOW);
      expect(next).toBeDefined();
      expect(next!.getTime()).toBeGreaterThanOrEqual(at.getTime());
      expect(isWithinSendWindow(next!, zones, DEFAULT_SEND_WINDOW)).toBe(true);
    }
  });
});
