/**
 * Per campaign and per send step: what it sent and what came of it, from the archived events.
 * A queued event's id is the hash of its send key (campaign, subscriber, step), so the step of each
 * message is recovered from the archive alone, without a step field on the event.
 */
import type { JourneyStep } from "../../../core/campaign/journey";
import { sendEventIdOf, sendKeyOf } from "../../../core/campaign/send-key";
import type { SmsEvent } from "../../../core/events/schema";
import { classifyReply } from "../../../core/processing/classify";

export interface CampaignSteps {
  campaignId: string;
  /** The send steps as launched (the campaign record's steps carry the templates). */
  sends: { stepId: string; template: string }[];
}

export interface StepRow {
  campaignId: string;
  stepId: string;
  template: string;
  sent: number;
  delivered: number;
  replies: number;
  optOuts: number;
  costUsd: number;
}

/** A campaign's send steps with their templates, as its record carries them. */
export const campaignStepsOf = (campaignId: string, steps: readonly JourneyStep[]): CampaignSteps => ({
  campaignId,
  sends: steps.flatMap((step) =>
    step.type === "send" ? [{ stepId: step.id, template: step.template }] : [],
  ),
});

const stepKey = (campaignId: string, stepId: string) => `${campaignId}\u0000${stepId}`;

/** messageId -> its (campaign, step) row key, for each queued event of a listed campaign. */
function stepOfMessages(
  events: readonly SmsEvent[],
  campaigns: readonly CampaignSteps[],
): Map<string, string> {
  const byCampaign = new Map(campaigns.map((campaign) => [campaign.campaignId, campaign]));
  const steps = new Map<string, string>();
  for (const event of events) {
    if (event.kind !== "queued" || !event.messageId || !event.subscriberId) continue;
    const campaign = event.campaignId ? byCampaign.get(event.campaignId) : undefined;
    const subscriberId = event.subscriberId;
    const step = campaign?.sends.find(
      ({ stepId }) =>
        sendEventIdOf(sendKeyOf({ campaignId: campaign.campaignId, subscriberId, stepId }), "queued") ===
        event.eventId,
    );
    if (campaign && step) steps.set(event.messageId, stepKey(campaign.campaignId, step.stepId));
  }
  return steps;
}

export function stepRowsOf(events: readonly SmsEvent[], campaigns: readonly CampaignSteps[]): StepRow[] {
  const unique = [...new Map(events.map((event) => [event.eventId, event])).values()];
  const stepOf = stepOfMessages(unique, campaigns);
  const rows = new Map<string, StepRow>();
  for (const campaign of campaigns)
    for (const { stepId, template } of campaign.sends)
      rows.set(stepKey(campaign.campaignId, stepId), {
        campaignId: campaign.campaignId,
        stepId,
        template,
        sent: 0,
        delivered: 0,
        replies: 0,
        optOuts: 0,
        costUsd: 0,
      });
  const optedOut = new Map<string, Set<string>>();
  for (const event of unique) {
    const key =
      event.kind === "received" ? stepOf.get(event.inReplyTo ?? "") : stepOf.get(event.messageId ?? "");
    const row = key ? rows.get(key) : undefined;
    if (!key || !row) continue;
    if (event.kind === "queued") row.sent++;
    if (event.kind === "delivered") row.delivered++;
    // Receipts carry the final price (as in totalsOf).
    if (event.kind === "delivered" || event.kind === "failed")
      row.costUsd += (event.priceUsd ?? 0) + (event.carrierFeeUsd ?? 0);
    if (event.kind === "received") {
      row.replies++;
      if (classifyReply(event.body ?? event.keyword ?? "").category === "stop" && event.phoneNumber) {
        optedOut.set(key, (optedOut.get(key) ?? new Set()).add(event.phoneNumber));
      }
    }
  }
  for (const [key, numbers] of optedOut) {
    const row = rows.get(key);
    if (row) row.optOuts = numbers.size;
  }
  for (const row of rows.values()) row.costUsd = Math.round(row.costUsd * 1e6) / 1e6;
  return [...rows.values()];
}
