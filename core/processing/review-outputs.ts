/**
 * What `smsctl review --stack` reads from any cloud's stack outputs: the stores a review decision
 * reaches (by the ids of the `tables` / `containers` / `collections` output, as erasure reads them)
 * and `replySender`, the settings the responses function answers a STOP with (its text, and the
 * cloud's non-secret sender settings), so an accepted review confirms as a STOP reply would.
 */
import * as z from "zod/mini";
import { outputName } from "./erasure-outputs";
import type { ReviewPorts, ReviewSettings } from "./opt-out-review";

export const ReviewStoreNamesSchema = z.object({
  optOutReviews: outputName,
  optOuts: outputName,
  journeys: outputName,
  subscribers: outputName,
  /** Launched campaigns: their journeys end too, and count the STOP, as the responses function does. */
  campaigns: outputName,
  /** Absent in stacks deployed before the consent log, or the revocation clocks. */
  consentLog: z.optional(outputName),
  revocations: z.optional(outputName),
});

export type ReviewStoreNames = z.infer<typeof ReviewStoreNamesSchema>;

/** The stack output holding the reply sender's settings (each cloud's schema adds its own fields). */
export const REPLY_SENDER_OUTPUT = "replySender";

/** The STOP confirmation's text: an SMS body, so never empty. */
export const stopConfirmationText = z.string().check(z.minLength(1));

/** A setting the stack may leave unset ("" in the outputs, as in the function's environment). */
export const maybeEmpty = z.string();

/** A deployed stack as `smsctl review` sees it: the ports and settings acceptReview runs with. */
export interface ReviewStack {
  /** The cloud and where, for the CLI's messages. */
  describe(): string;
  ports: Omit<ReviewPorts, "clock">;
  settings: ReviewSettings;
  /**
   * Resolves what sending needs (a secret the stack keeps), so an accept that could not confirm
   * fails before it writes anything. Absent when the sender needs nothing more.
   */
  readySender?(): Promise<void>;
  close?(): Promise<void>;
}
