/**
 * The seeded campaign every cloud's local run is tested with, and what the seed implies, derived
 * from first principles (the audience, the carrier's per-message fates, the clock) without running
 * the engine or the stream. Shared by the AWS and Azure end-to-end tests.
 */

import { expect } from "vitest";
import { normalizePhoneNumber } from "../../core/campaign/phone";
import { sendKeyOf } from "../../core/campaign/send-key";
import type { SmsEvent } from "../../core/events/schema";
import { generateAudience } from "../../providers/local/bootstrap/audience";
import { decideFate } from "../../providers/local/carrier/fate";
import { CarrierRatesSchema } from "../../providers/local/carrier/rates";
import type { RunSummary } from "../../providers/local/report/run-summary";
import { CAMPAIGN_ID, WELCOME_CAMPAIGN_ID } from "../../providers/local/run/local-run";

export const SEED = 20_260_616;

export const SUBSCRIBERS = 300;
// Rates high enough that every path (failures, STOP, duplicates, poison) occurs in 300 messages.
export const RATES = CarrierRatesSchema.parse({
  deliveryFailureRate: 0.08,
  replyRate: 0.3,
  stopRate: 0.2,
  duplicateRate: 0.1,
  poisonRate: 0.03,
});

export const DAY_MS = 86_400_000;
export const WELCOME = (subscriberId: string, stepId: string) =>
  sendKeyOf({ campaignId: WELCOME_CAMPAIGN_ID, subscriberId, stepId });
export const isValidZone = (zone: string | undefined) => {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** What the seed implies, computed from first principles. */
export function expectedCounts() {
  const audience = generateAudience(SUBSCRIBERS, SEED);
  const valid = audience.filter(
    (member) => normalizePhoneNumber(member.phoneNumber)?.e164 === member.phoneNumber,
  );
  const reachable = valid.filter((member) => !member.optedOut);
  // At 18:00 UTC in June it is 04:00 in Sydney: every Australian number is outside 08:00-21:00
  // (with or without a usable zone on the record); every other region is inside its window.
  const held = reachable.filter((member) => member.phoneNumber.startsWith("+61"));
  const sent = reachable.filter((member) => !member.phoneNumber.startsWith("+61"));
  const confirmationFate = (subscriberId: string) =>
    decideFate(SEED, sendKeyOf({ campaignId: CAMPAIGN_ID, subscriberId, stepId: "send" }), RATES);
  const fates = sent.map((member) => confirmationFate(member.subscriberId));
  const stoppedAtConfirmation = new Set(
    sent
      .filter((member) => confirmationFate(member.subscriberId).reply?.kind === "stop")
      .map((m) => m.subscriberId),
  );

  // The Welcome Series, launched once the confirmation's replies are in (18:00-18:30 UTC, checked
  // below). Every valid row is enrolled; opted-out numbers get nothing. Spanish and Australian
  // numbers span several zones, so without a real zone on the record they stay held; a Sydney
  // number with its zone waits for 08:00 there (22:00 UTC), every other region is inside its window.
  const enrolled = valid;
  const optedOut = enrolled.filter((m) => m.optedOut || stoppedAtConfirmation.has(m.subscriberId));
  const unknownZone = enrolled.filter(
    (m) => !optedOut.includes(m) && /^\+(61|34)/.test(m.phoneNumber) && !isValidZone(m.timeZone),
  );
  const welcomed = enrolled.filter((m) => !optedOut.includes(m) && !unknownZone.includes(m));
  const welcomeFate = (m: { subscriberId: string }) =>
    decideFate(SEED, WELCOME(m.subscriberId, "welcome"), RATES);
  const answeredYes = welcomed.filter((m) => welcomeFate(m).reply?.kind === "yes");
  const stoppedMidJourney = welcomed.filter((m) => welcomeFate(m).reply?.kind === "stop");
  const followedUp = welcomed.filter((m) => !answeredYes.includes(m) && !stoppedMidJourney.includes(m));
  const journeyFates = [
    ...welcomed.map(welcomeFate),
    ...answeredYes.map((m) => decideFate(SEED, WELCOME(m.subscriberId, "thank-you"), RATES)),
    ...followedUp.map((m) => decideFate(SEED, WELCOME(m.subscriberId, "follow-up"), RATES)),
  ];

  const all = [...fates, ...journeyFates];
  const readable = all.filter((fate) => !fate.poison);
  const replies = all.filter((fate) => fate.reply);
  const duplicates = replies.filter((fate) => fate.reply?.duplicated);
  return {
    invalid: audience.length - valid.length,
    optedOutBefore: valid.length - reachable.length,
    held: held.length,
    sent: sent.length,
    confirmationReplies: fates.filter((fate) => fate.reply).length,
    allSent: all.length,
    delivered: readable.filter((fate) => fate.status === "DELIVERED").length,
    failed: readable.filter((fate) => fate.status !== "DELIVERED").length,
    poisoned: all.length - readable.length,
    phoneless: readable.filter((fate) => fate.phoneless).length,
    replies: replies.length,
    stops: replies.filter((fate) => fate.reply?.kind === "stop").length,
    // queued event + receipt per sent message, one record per reply and per redelivery.
    published: all.length * 2 + replies.length + duplicates.length,
    journey: {
      enrolled: enrolled.length,
      optedOut: optedOut.length,
      held: unknownZone.length,
      welcome: welcomed.length,
      yes: answeredYes.length,
      stopped: stoppedMidJourney.length,
      followUps: followedUp.length,
    },
  };
}

/** Replies counted once each: the carrier redelivers some, and the archive keeps every copy. */
export const distinctReplies = (events: SmsEvent[]) =>
  new Set(events.filter((event) => event.kind === "received").map((event) => event.eventId)).size;

/** The run's totals, read back from the archive and the stores, against what the seed implies. */
export function expectSeededTotals(summary: RunSummary, expected: ReturnType<typeof expectedCounts>): void {
  expect(summary.sent).toBe(expected.allSent);
  expect(summary.delivered).toBe(expected.delivered);
  expect(summary.failed).toBe(expected.failed);
  expect(summary.replies).toBe(expected.replies);
  expect(summary.optOuts).toBe(expected.stops);
  // Each STOP started a revocation clock, judged met by the ticker's monitor (or its last pass).
  expect(summary.revocationSla).toMatchObject({
    clocks: expected.stops,
    met: expected.stops,
    breached: 0,
    pending: 0,
  });
  expect(summary.eventsPublished).toBe(expected.published);
  expect(summary.deadLettered).toBe(expected.poisoned);
  expect(summary.eventsArchived).toBe(expected.published - expected.poisoned);
  expect(summary.responsesStored).toBe(expected.replies);
}
