/**
 * The stored shapes every cloud's stores share (snake_case, like the seed's response record), and
 * the mapping to and from the port types. Each adapter adds only its own keys (ids, TTLs, shards).
 */
import type { JourneyState, SendLedgerState, SentMessage } from "./ports";

/** Drops keys whose value is undefined, so absent optional fields stay absent when stored and read. */
export const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export interface JourneyRecord {
  journey_id: string;
  subscriber_id: string;
  phone_number: string;
  step_id: string;
  status: JourneyState["status"];
  wake_at?: string;
  last_reply?: string;
  version: number;
  updated_at: string;
}

export const journeyRecordOf = (state: JourneyState): JourneyRecord =>
  withoutUndefined({
    journey_id: state.journeyId,
    subscriber_id: state.subscriberId,
    phone_number: state.phoneNumber,
    step_id: state.stepId,
    status: state.status,
    wake_at: state.wakeAt,
    last_reply: state.lastReply,
    version: state.version,
    updated_at: state.updatedAt,
  });

export const journeyStateOf = (record: JourneyRecord): JourneyState =>
  withoutUndefined({
    journeyId: record.journey_id,
    subscriberId: record.subscriber_id,
    phoneNumber: record.phone_number,
    stepId: record.step_id,
    status: record.status,
    wakeAt: record.wake_at,
    lastReply: record.last_reply,
    version: record.version,
    updatedAt: record.updated_at,
  });

export interface SentMessageRecord {
  message_id: string;
  phone_number: string;
  sent_at: string;
  campaign_id?: string;
  journey_id?: string;
  subscriber_id?: string;
}

export const sentMessageRecordOf = (message: SentMessage): SentMessageRecord =>
  withoutUndefined({
    message_id: message.messageId,
    phone_number: message.phoneNumber,
    sent_at: message.sentAt,
    campaign_id: message.campaignId,
    journey_id: message.journeyId,
    subscriber_id: message.subscriberId,
  });

export const sentMessageOf = (record: SentMessageRecord): SentMessage =>
  withoutUndefined({
    messageId: record.message_id,
    phoneNumber: record.phone_number,
    sentAt: record.sent_at,
    campaignId: record.campaign_id,
    journeyId: record.journey_id,
    subscriberId: record.subscriber_id,
  });

/** The first message of each id, in order: the one MessageLog.record() keeps (for adapters' recordAll). */
export const firstOfEachId = (messages: SentMessage[]): SentMessage[] => {
  const seen = new Set<string>();
  return messages.filter((message) => !seen.has(message.messageId) && seen.add(message.messageId));
};

export interface LedgerRecord {
  state: SendLedgerState["state"];
  at: string;
  message_id?: string;
  reason?: string;
}

export const ledgerRecordOf = (state: SendLedgerState): LedgerRecord =>
  withoutUndefined({
    state: state.state,
    at: state.at,
    message_id: state.state === "sent" ? state.messageId : undefined,
    reason: state.state === "skipped" ? state.reason : undefined,
  });

export const ledgerStateOf = (record: LedgerRecord): SendLedgerState => {
  switch (record.state) {
    case "sent":
      return { state: "sent", at: record.at, messageId: record.message_id ?? "" };
    case "skipped":
      return { state: "skipped", at: record.at, reason: record.reason ?? "" };
    default:
      return { state: "pending", at: record.at };
  }
};
