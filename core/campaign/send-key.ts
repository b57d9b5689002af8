import { createHash } from "node:crypto";

/** Ids of one send: the campaign or journey it belongs to, the subscriber and the step. */
export interface SendIdentity {
  campaignId?: string;
  journeyId?: string;
  subscriberId: string;
  stepId: string;
}

/** The ledger key and provider idempotency key: one per (campaign or journey, subscriber, step). */
export function sendKeyOf(identity: SendIdentity): string {
  const scope = identity.campaignId ? `campaign:${identity.campaignId}` : `journey:${identity.journeyId}`;
  return `${scope}/${identity.subscriberId}/${identity.stepId}`;
}

/** A stable event id for an event about a send, so a re-published event is recognised as a replay. */
export function sendEventIdOf(sendKey: string, kind: string): string {
  return createHash("sha256").update(`${kind}|${sendKey}`).digest("hex").slice(0, 32);
}
