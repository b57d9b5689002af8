/**
 * AWS End User Messaging SMS (pinpoint-sms-voice-v2) events, as an event destination delivers them
 * (camelCase, epoch milliseconds, prices in USD) and as EventBridge wraps them (`source:
 * "aws.sms-voice"`, the same object under `detail`). Shapes:
 * docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html and
 * docs.aws.amazon.com/sms-voice/latest/userguide/monitor-event-bridge.html
 */
import type { EventKind } from "../schema";
import { type EventDraft, finishEvent, messageTypeOf, stableEventId } from "./build";
import { senderIdentity } from "./phone";
import { type DecodeResult, invalidPayload } from "./result";
import { isoFromEpochMs } from "./time";
import { amount, isObject, type JsonObject, nonEmptyText, partsCount, scalarText } from "./values";

const FORMAT = "End User Messaging SMS event";
const SMS_DETAIL_TYPE = "Text Message Delivery Status Updated";

/**
 * Every documented TEXT_* event type and what it means for the canonical event. A Map: an untrusted
 * key never reads Object.prototype, and a lookup costs less than Object.hasOwn on a record.
 */
const KINDS = new Map<string, EventKind>(
  Object.entries<EventKind>({
    TEXT_QUEUED: "queued",
    TEXT_PENDING: "queued",
    TEXT_SUCCESSFUL: "sent",
    TEXT_DELIVERED: "delivered",
    TEXT_BLOCKED: "failed",
    TEXT_TTL_EXPIRED: "failed",
    TEXT_CARRIER_UNREACHABLE: "failed",
    TEXT_INVALID: "failed",
    TEXT_INVALID_MESSAGE: "failed",
    TEXT_CARRIER_BLOCKED: "failed",
    TEXT_UNREACHABLE: "failed",
    TEXT_SPAM: "failed",
    TEXT_UNKNOWN: "failed",
    TEXT_PROTECT_BLOCKED: "failed",
  }),
);

export function isEumEvent(payload: JsonObject): boolean {
  return typeof payload.eventType === "string" && ("eventVersion" in payload || "messageId" in payload);
}

export function isEumEventBridge(payload: JsonObject): boolean {
  return payload.source === "aws.sms-voice" && isObject(payload.detail);
}

export function decodeEumEventBridge(payload: JsonObject): DecodeResult {
  const detailType = payload["detail-type"];
  if (detailType !== SMS_DETAIL_TYPE) {
    return invalidPayload(
      `EventBridge event from aws.sms-voice has detail-type "${scalarText(detailType)}", not "${SMS_DETAIL_TYPE}": only SMS events are decoded`,
    );
  }
  return decodeEum(payload.detail as JsonObject);
}

export function decodeEum(payload: JsonObject): DecodeResult {
  const eventType = typeof payload.eventType === "string" ? payload.eventType : "";
  const kind = KINDS.get(eventType);
  if (kind === undefined) {
    return invalidPayload(
      eventType.startsWith("TEXT_")
        ? `${FORMAT}: eventType ${eventType} is not a documented SMS event type`
        : `End User Messaging event ${eventType || "(no eventType)"} is not an SMS event`,
    );
  }
  const messageId = nonEmptyText(payload.messageId);
  const timestamp = payload.eventTimestamp;
  const status = nonEmptyText(payload.messageStatus);
  const context = isObject(payload.context) ? payload.context : undefined;
  const draft: EventDraft = {
    eventId: stableEventId("aws-eum", messageId, eventType, scalarText(timestamp)),
    kind,
    occurredAt: isoFromEpochMs(timestamp),
    provider: "aws-eum",
    senderNumber: senderIdentity(nonEmptyText(payload.originationPhoneNumber)),
    campaignId: context && nonEmptyText(context.campaignId),
    journeyId: context && nonEmptyText(context.journeyId),
    subscriberId: context && nonEmptyText(context.subscriberId),
    messageId,
    status,
    failureReason:
      kind === "failed" ? (nonEmptyText(payload.messageStatusDescription) ?? status ?? eventType) : undefined,
    parts: partsCount(payload.totalMessageParts),
    priceUsd: amount(payload.totalMessagePrice),
    carrierFeeUsd: amount(payload.totalCarrierFee),
    countryCode: nonEmptyText(payload.isoCountryCode),
    messageType: messageTypeOf(nonEmptyText(payload.messageType)),
  };
  // The EventBridge copies AWS documents carry no destinationPhoneNumber: such a receipt decodes
  // without a number, and the consumers complete it from the message log by messageId.
  return finishEvent(FORMAT, draft, nonEmptyText(payload.destinationPhoneNumber));
}
