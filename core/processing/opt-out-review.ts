import { endJourneysOfOptOut } from "../campaign/reply-routing";
import type { OptOutReview, OptOutReviewStore, Ports } from "../ports";
import { answerReply, type ResponsesPorts, STOP_CONFIRMATION } from "./responses";
import { startRevocationClock } from "./revocation-sla";

export type ReviewPorts = Pick<Ports, "optOuts" | "sender" | "clock"> &
  Partial<Pick<Ports, "consentLog" | "revocations">> & {
    optOutReviews: OptOutReviewStore;
    journeyRouting?: ResponsesPorts["journeyRouting"];
  };

export interface ReviewSettings {
  stopConfirmationText: string;
  /** The number the confirmation comes from; the sender's default when absent. */
  senderNumber?: string;
}

export interface ReviewOutcome {
  /** The review as stored after the call; its status is the first decision anyone made. */
  review: OptOutReview;
  /** True when this call opted the number out (false if it already was, or the review was rejected). */
  optedOut: boolean;
  /** True when the STOP confirmation was handed to the sender. */
  confirmed: boolean;
  journeysEnded: number;
}

/**
 * A reviewer agrees the reply revoked consent: the number is opted out, confirmed once and its
 * journeys ended, exactly as a STOP reply is. The opt-out comes before the review is settled, so
 * the hold lasts until the opt-out holds: a crash in between never lets marketing through, and a
 * retry confirms under the reply's own idempotency key (the sender sends it once). A review
 * already decided is left as it is. Undefined for an unknown event id.
 */
export async function acceptReview(
  eventId: string,
  ports: ReviewPorts,
  settings: ReviewSettings,
): Promise<ReviewOutcome | undefined> {
  const review = await ports.optOutReviews.get(eventId);
  if (!review) return undefined;
  // Decided already: a rejection stands, and an acceptance was settled only after its opt-out,
  // confirmation and journeys were done.
  if (review.status !== "pending") return { review, optedOut: false, confirmed: false, journeysEnded: 0 };
  let optedOut = false;
  let confirmed = false;
  // The revocation dates from the reply, not from the review.
  if (await ports.optOuts.optOut(review.phoneNumber, review.receivedAt, review.eventId)) {
    optedOut = true;
    // Evidence after the opt-out: a retry of the acceptance opts out "again" and appends it then.
    await ports.consentLog?.append({
      phoneNumber: review.phoneNumber,
      action: "opt_out",
      source: "review_accept",
      wording: `reviewed reply, rule ${review.rule}`,
      at: review.receivedAt,
      eventId: review.eventId,
    });
    await startRevocationClock(ports.revocations, {
      eventId: review.eventId,
      phoneNumber: review.phoneNumber,
      // The SLA counts from the decision: until then the review hold kept marketing from the number.
      optedOutAt: ports.clock.now().toISOString(),
      source: "review_accept",
      confirmationExpected: true,
      ...(review.subscriberId ? { subscriberId: review.subscriberId } : {}),
    });
    const confirmation = await answerReply(
      ports.sender,
      { eventId: review.eventId, phoneNumber: review.phoneNumber },
      { campaign_id: review.campaignId, journey_id: review.journeyId, subscriber_id: review.subscriberId },
      { body: settings.stopConfirmationText, purpose: STOP_CONFIRMATION, from: settings.senderNumber },
    );
    confirmed = confirmation !== undefined;
    if (confirmation !== undefined) {
      await ports.revocations?.confirm(review.eventId, ports.clock.now().toISOString(), confirmation);
    }
  }
  const ended = ports.journeyRouting
    ? await endJourneysOfOptOut(review.phoneNumber, review.subscriberId, {
        ...ports.journeyRouting,
        now: () => ports.clock.now(),
      })
    : [];
  const settled = await ports.optOutReviews.decide(eventId, "accepted", ports.clock.now().toISOString());
  return { review: settled ?? review, optedOut, confirmed, journeysEnded: ended.length };
}

/**
 * A reviewer decides the reply did not revoke consent: the hold on the number lifts (unless
 * another of its replies still waits for review). A review already accepted stays accepted.
 */
export async function rejectReview(
  eventId: string,
  ports: Pick<ReviewPorts, "optOutReviews" | "clock">,
): Promise<ReviewOutcome | undefined> {
  const review = await ports.optOutReviews.decide(eventId, "rejected", ports.clock.now().toISOString());
  return review && { review, optedOut: false, confirmed: false, journeysEnded: 0 };
}

/** The review queue's order: oldest reply first, event id breaking ties. */
export const byReceivedAt = (a: OptOutReview, b: OptOutReview): number =>
  a.receivedAt.localeCompare(b.receivedAt) || a.eventId.localeCompare(b.eventId);
