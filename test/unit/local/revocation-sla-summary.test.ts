import { describe, expect, it } from "vitest";
import type { RevocationClock, RevocationVerdict } from "../../../core/ports";
import { revocationSlaSummaryOf } from "../../../providers/local/run/revocation-run";

const clockOf = (eventId: string, verdict?: RevocationVerdict): RevocationClock => ({
  eventId,
  phoneNumber: "+15555550100",
  optedOutAt: "2026-06-16T18:00:00.000Z",
  source: "reply_keyword",
  confirmationExpected: true,
  ...(verdict ? { verdict } : {}),
});
const met: RevocationVerdict = { status: "met", checkedAt: "2026-06-16T18:20:00.000Z", failures: [] };
const breached: RevocationVerdict = {
  status: "breached",
  checkedAt: "2026-06-16T18:20:00.000Z",
  failures: [{ check: "suppressed", reason: "still sendable" }],
};

describe("the local run's revocation SLA summary, from one listing and the last pass", () => {
  it("adds the last pass's verdicts to those settled before, breaches in the listing's order", () => {
    const clocks = [
      clockOf("evt-1", met),
      clockOf("evt-2"),
      clockOf("evt-3", breached),
      clockOf("evt-4"),
      clockOf("evt-5"),
    ];
    const lastPass = {
      judged: 2,
      met: 1,
      breached: 1,
      breaches: [{ eventId: "evt-2", failed: ["journeys_ended" as const] }],
    };
    expect(revocationSlaSummaryOf(clocks, lastPass, 15)).toEqual({
      windowMinutes: 15,
      clocks: 5,
      met: 2,
      breached: 2,
      pending: 1,
      breaches: [
        { eventId: "evt-2", failed: ["journeys_ended"] },
        { eventId: "evt-3", failed: ["suppressed"] },
      ],
    });
  });

  it("counts nothing when no clock ran", () => {
    const lastPass = { judged: 0, met: 0, breached: 0, breaches: [] };
    expect(revocationSlaSummaryOf([], lastPass, 15)).toEqual({
      windowMinutes: 15,
      clocks: 0,
      met: 0,
      breached: 0,
      pending: 0,
      breaches: [],
    });
  });
});
