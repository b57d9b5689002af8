import type { RevocationCheck } from "../../../core/ports";

/** Every opt-out's revocation clock at the end of a local run, and its verdict (run/revocation-run.ts). */
export interface RevocationSlaSummary {
  windowMinutes: number;
  /** One clock per opt-out the functions recorded. */
  clocks: number;
  met: number;
  breached: number;
  /** Still unjudged at the end (none when the last pass ran). */
  pending: number;
  /** The breached clocks' event ids and failed checks (no numbers). */
  breaches: { eventId: string; failed: RevocationCheck[] }[];
}
