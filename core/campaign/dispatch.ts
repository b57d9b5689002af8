import type { MessageType, ProviderName } from "../events/schema";
import type {
  Clock,
  EventPublisher,
  OptOutReviewStore,
  OptOutStore,
  SendLedger,
  SendRequest,
  SmsSender,
  Subscriber,
} from "../ports";
import { redactText } from "../redact";
import type { Budget } from "./budget";
import type { SmsEncoding } from "./encoding";
import type { FrequencyCap } from "./frequency-cap";
import type { Pacer } from "./pacer";
import { assessMessage, type MessageAssessment, type PolicyConfig, timingOf } from "./policy";
import { publishSendEvent, sendEventOf } from "./send-events";
import { type SendIdentity, sendKeyOf } from "./send-key";

/**
 * What to do with a send key found `pending` on resume: the process died between claim and settle,
 * so the provider may or may not have the message. "resend" (default) sends again with the same
 * idempotency key: nobody is skipped, and a provider that deduplicates on the key (the local and
 * memory senders; ACS repeatability) delivers once. "skip" settles it as skipped: never twice, but
 * a crash before the provider call loses that one subscriber.
 */
export type InDoubtPolicy = "resend" | "skip";

export interface DispatchDeps {
  sender: SmsSender;
  provider: ProviderName;
  ledger: SendLedger;
  optOuts: OptOutStore;
  /**
   * The opt-out review queue: a number with a reply waiting for review gets no marketing until a
   * person decides (fail-closed). Absent, only opt-outs are checked.
   */
  reviews?: Pick<OptOutReviewStore, "isHeld">;
  publisher: EventPublisher;
  clock: Clock;
  pacer: Pacer;
  budget: Budget;
  frequencyCap?: FrequencyCap;
  policy?: PolicyConfig;
  inDoubt?: InDoubtPolicy;
  sentEventKind?: "queued" | "sent";
  /** Fields every request carries (origination identity, price cap, time to live). */
  requestDefaults?: Pick<SendRequest, "from" | "maxPriceUsd" | "ttlSeconds">;
}

export interface DispatchRequest {
  identity: SendIdentity;
  subscriber: Subscriber;
  country?: string;
  template: string;
  messageType: MessageType;
  /** The caller's assessment of this same subscriber, country and template, so it is not made twice. */
  assessment?: MessageAssessment;
}

export type SuppressionReason = "opted_out" | "invalid_number" | "budget" | "failed" | "in_doubt";
export type HoldReason = "quiet_hours" | "unknown_time_zone" | "frequency_cap" | "pending_review";

/**
 * How long a send held for review waits before it looks again. Held, not skipped: the ledger keeps
 * no decision, so a rejected review lets the send go at its next try.
 */
export const REVIEW_RECHECK_MS = 60 * 60_000;

/**
 * Why a number may get nothing now, or undefined when it may: opted out (which wins), or held for
 * review. The revocation SLA monitor asks the same question, so it checks exactly what every send
 * checks. The opt-out is read last, so a send starts right after it with no other store round trip
 * between, in which a STOP could land unseen.
 */
export async function sendBlockOf(
  deps: { optOuts: Pick<OptOutStore, "isOptedOut">; reviews?: Pick<OptOutReviewStore, "isHeld"> },
  phoneNumber: string,
): Promise<"opted_out" | "pending_review" | undefined> {
  const held = await deps.reviews?.isHeld(phoneNumber);
  if (await deps.optOuts.isOptedOut(phoneNumber)) return "opted_out";
  return held ? "pending_review" : undefined;
}

export type DispatchOutcome =
  | { kind: "sent"; messageId: string; encoding: SmsEncoding; segments: number; costUsd: number }
  | { kind: "already_sent"; encoding: SmsEncoding; segments: number; costUsd: number }
  | { kind: "held"; reason: HoldReason; notBefore?: Date }
  | { kind: "suppressed"; reason: SuppressionReason; detail?: string }
  /** Retryable failure after bounded retries: left pending so a re-run sends it. */
  | { kind: "failed"; reason: string };

const heldForReview = (now: Date): DispatchOutcome => ({
  kind: "held",
  reason: "pending_review",
  notBefore: new Date(now.getTime() + REVIEW_RECHECK_MS),
});

const SKIP_REASONS = new Set<string>(["opted_out", "invalid_number", "failed", "in_doubt"]);

function suppressionFromLedger(reason: string): SuppressionReason {
  const head = reason.split(":")[0];
  return SKIP_REASONS.has(head) ? (head as SuppressionReason) : "failed";
}

/**
 * Sends one message under the send policy, exactly once per send key:
 * ledger check -> opt-out and review hold -> time zone/quiet hours -> frequency cap -> budget ->
 * claim -> pace -> opt-out and review hold again (a STOP may land while we waited) -> send ->
 * settle -> publish the send event.
 */
export async function dispatchMessage(
  deps: DispatchDeps,
  request: DispatchRequest,
): Promise<DispatchOutcome> {
  const { identity, subscriber } = request;
  const sendKey = sendKeyOf(identity);
  const assessment =
    request.assessment ?? assessMessage(subscriber, request.country, request.template, deps.policy);
  const { encoding, segments } = assessment.measure;

  const existing = await deps.ledger.get(sendKey);
  if (existing?.state === "sent") {
    deps.budget.charge(assessment.cost.totalUsd);
    return { kind: "already_sent", encoding, segments, costUsd: assessment.cost.totalUsd };
  }
  if (existing?.state === "skipped")
    return { kind: "suppressed", reason: suppressionFromLedger(existing.reason) };
  const inDoubt = existing?.state === "pending";
  let claimed = inDoubt;

  const skip = async (reason: SuppressionReason, detail?: string): Promise<DispatchOutcome> => {
    if (claimed || (await deps.ledger.claim(sendKey, deps.clock.now().toISOString()))) {
      await deps.ledger.settle(sendKey, {
        state: "skipped",
        at: deps.clock.now().toISOString(),
        reason: detail ? `${reason}:${detail}` : reason,
      });
    }
    return { kind: "suppressed", reason, detail };
  };

  if (inDoubt && deps.inDoubt === "skip") return skip("in_doubt");
  const blocked = await sendBlockOf(deps, subscriber.phoneNumber);
  if (blocked === "opted_out") return skip("opted_out");
  const now = deps.clock.now();
  if (blocked === "pending_review") return heldForReview(now);

  const timing = timingOf(assessment, now);
  if (timing.kind === "unknown_time_zone") return { kind: "held", reason: "unknown_time_zone" };
  if (timing.kind === "quiet_hours")
    return { kind: "held", reason: "quiet_hours", notBefore: timing.notBefore };
  const cappedUntil = deps.frequencyCap?.blockedUntil(subscriber.subscriberId, now);
  if (cappedUntil) return { kind: "held", reason: "frequency_cap", notBefore: cappedUntil };
  if (!deps.budget.tryReserve(assessment.cost.totalUsd)) return { kind: "suppressed", reason: "budget" };

  let reserved = true;
  try {
    if (!claimed) {
      // False means another worker claimed it between our read and our claim: it owns the send.
      if (!(await deps.ledger.claim(sendKey, now.toISOString()))) {
        return { kind: "already_sent", encoding, segments, costUsd: 0 };
      }
      claimed = true;
    }
    // The last opt-out check (a STOP may have landed while we queued for the pacer) and the start
    // of the provider call happen inside the pacer's turn, so the rate is measured at the send.
    const started = await deps.pacer.pace(segments, async () => {
      const blockedNow = await sendBlockOf(deps, subscriber.phoneNumber);
      if (blockedNow) return { blocked: blockedNow };
      return {
        result: deps.sender.send({
          to: subscriber.phoneNumber,
          body: assessment.body,
          messageType: request.messageType,
          subscriberId: subscriber.subscriberId,
          ...(identity.campaignId ? { campaignId: identity.campaignId } : {}),
          ...(identity.journeyId ? { journeyId: identity.journeyId } : {}),
          idempotencyKey: sendKey,
          ...deps.requestDefaults,
        }),
      };
    });
    // A hold found here leaves the claim pending: the send is in doubt, and resent at its next try.
    if ("blocked" in started) {
      return started.blocked === "opted_out" ? await skip("opted_out") : heldForReview(deps.clock.now());
    }
    const result = await started.result;
    const settledAt = deps.clock.now();
    switch (result.status) {
      case "sent": {
        reserved = false;
        await deps.ledger.settle(sendKey, {
          state: "sent",
          at: settledAt.toISOString(),
          messageId: result.messageId,
        });
        deps.frequencyCap?.record(subscriber.subscriberId, settledAt);
        const parts = result.parts ?? segments;
        const cost =
          result.priceUsd !== undefined
            ? {
                ...assessment.cost,
                priceUsd: result.priceUsd,
                totalUsd: result.priceUsd + assessment.cost.carrierFeeUsd,
              }
            : assessment.cost;
        await publishSendEvent(
          deps.publisher,
          sendEventOf(
            {
              identity,
              sendKey,
              provider: deps.provider,
              phoneNumber: subscriber.phoneNumber,
              messageId: result.messageId,
              parts,
              cost,
              countryCode: request.country,
              messageType: request.messageType,
              occurredAt: settledAt,
            },
            deps.sentEventKind,
          ),
        );
        return {
          kind: "sent",
          messageId: result.messageId,
          encoding,
          segments: parts,
          costUsd: cost.totalUsd,
        };
      }
      case "opted_out":
        await deps.optOuts.optOut(subscriber.phoneNumber, settledAt.toISOString(), `provider:${sendKey}`);
        return await skip("opted_out", redactText(result.reason));
      case "invalid_number":
        return await skip("invalid_number", redactText(result.reason));
      case "failed":
        if (!result.retryable) return await skip("failed", redactText(result.reason));
        return { kind: "failed", reason: redactText(result.reason) };
      default:
        return { kind: "failed", reason: `throttled: ${redactText(result.reason)}` };
    }
  } finally {
    if (reserved) deps.budget.release(assessment.cost.totalUsd);
  }
}
