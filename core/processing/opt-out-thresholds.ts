/**
 * What an opt-out confidence decides. Apart from the intent engine (./opt-out-intent.ts) so that
 * settings and config, which every handler loads, do not pull its lexicon into every bundle.
 */
export type OptOutDecision = "opt_out" | "review" | "none";

export interface OptOutThresholds {
  /** At or above: the reply is an opt-out, handled exactly as STOP. */
  optOut: number;
  /** At or above (and below optOut): held for a person to review; no marketing until then. */
  review: number;
}

export const DEFAULT_OPT_OUT_THRESHOLDS: OptOutThresholds = { optOut: 0.9, review: 0.6 };

export function decide(confidence: number, thresholds: OptOutThresholds): OptOutDecision {
  if (confidence >= thresholds.optOut) return "opt_out";
  return confidence >= thresholds.review ? "review" : "none";
}
