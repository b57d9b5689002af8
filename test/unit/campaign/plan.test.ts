import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAudienceCsv } from "../../../core/campaign/audience";
import type { RowIssue } from "../../../core/campaign/counts";
import { planCampaign } from "../../../core/campaign/plan";

const CSV = [
  "subscriber_id,phone_number,time_zone,first_name",
  "s1,+12125551001,,Ana", // New York
  "s2,+13105551002,,Bo", // Los Angeles
  "s3,+18005551003,,Cy", // toll-free: zone unknown
  "s4,+18005551004,Europe/Paris,Dee", // zone from the record
  "s5,+12125551005,,Ed", // opted out
  "s6,12345,,Fay", // invalid
  "s7,+12125551001,,Gus", // duplicate number of s1
  "s8,+12125551008,,Łukasz", // UCS-2 after personalization
].join("\n");

const plan = (at: string, extra: { budgetUsd?: number; template?: string } = {}) => {
  const issues: RowIssue[] = [];
  return planCampaign(readAudienceCsv(Readable.from([CSV])), {
    template: extra.template ?? "Hi {{first_name}}, see you soon.",
    at: new Date(at),
    mps: 3,
    budgetUsd: extra.budgetUsd,
    isOptedOut: (n) => n === "+12125551005",
    onIssue: (issue) => issues.push(issue),
  }).then((result) => ({ result, issues }));
};

describe("planning a campaign", () => {
  it("predicts suppressions, holds, encoding, segments and cost without sending", async () => {
    // 16:00 UTC: 12:00 New York, 09:00 Los Angeles, 18:00 Paris.
    const { result, issues } = await plan("2026-06-15T16:00:00Z");
    expect(result).toEqual({
      audience: 8,
      eligibleNow: 4,
      suppressed: { optedOut: 1, invalidNumber: 1, duplicate: 1, budget: 0 },
      held: { quietHours: 0, unknownTimeZone: 1 },
      encoding: "UCS-2",
      maxSegmentsPerMessage: 1,
      totalSegments: 4,
      // 4 single-part US messages at 0.00581 + 0.003 carrier fee.
      estimatedCostUsd: 0.03524,
      estimatedDurationSeconds: 2,
      badRows: 0,
    });
    expect(issues.map((issue) => [issue.line, issue.kind])).toEqual([
      [7, "invalid_number"],
      [8, "duplicate"],
    ]);
  });

  it("holds the members whose local time is in quiet hours at --at", async () => {
    // 02:00 UTC: 22:00 New York (held), 19:00 Los Angeles (allowed), 04:00 Paris (held).
    const { result } = await plan("2026-06-15T02:00:00Z");
    expect(result.eligibleNow).toBe(1);
    expect(result.held).toEqual({ quietHours: 3, unknownTimeZone: 1 });
    expect(result.estimatedDurationSeconds).toBe(1);
  });

  it("suppresses what the budget cannot pay for, in file order", async () => {
    const { result } = await plan("2026-06-15T16:00:00Z", { budgetUsd: 0.02 });
    expect(result.eligibleNow).toBe(2);
    expect(result.suppressed.budget).toBe(2);
    expect(result.estimatedCostUsd).toBeCloseTo(0.01762, 6);
  });

  it("counts multipart messages in segments and duration", async () => {
    const { result } = await plan("2026-06-15T16:00:00Z", { template: `{{first_name}} ${"x".repeat(200)}` });
    expect(result.maxSegmentsPerMessage).toBe(4); // the UCS-2 one: 207 units / 67
    expect(result.totalSegments).toBe(2 + 2 + 2 + 4);
    expect(result.estimatedDurationSeconds).toBe(Math.ceil(10 / 3));
  });
});
