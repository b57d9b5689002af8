import type { SmsEncoding } from "./encoding";

/** The counts a plan predicts and a send reports, in one shape so they can be compared. */
export interface AudienceCounts {
  /** Rows read (segment members), good and bad. */
  audience: number;
  eligibleNow: number;
  suppressed: { optedOut: number; invalidNumber: number; duplicate: number; budget: number };
  held: { quietHours: number; unknownTimeZone: number };
  /** Rows that could not be read at all (wrong field count, unclosed quote, empty id). */
  badRows: number;
  /** GSM-7 unless any message needs UCS-2. */
  encoding: SmsEncoding;
  maxSegmentsPerMessage: number;
  totalSegments: number;
}

export function emptyCounts(): AudienceCounts {
  return {
    audience: 0,
    eligibleNow: 0,
    suppressed: { optedOut: 0, invalidNumber: 0, duplicate: 0, budget: 0 },
    held: { quietHours: 0, unknownTimeZone: 0 },
    badRows: 0,
    encoding: "GSM-7",
    maxSegmentsPerMessage: 0,
    totalSegments: 0,
  };
}

export interface RowIssue {
  line: number;
  kind: "invalid_number" | "duplicate" | "bad_row";
  reason: string;
}
