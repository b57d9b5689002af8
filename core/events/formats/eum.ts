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
 * Every documented TEXT_* event type and what it means for the canonical event. A switch: a fresh
 * eventType string is compared by length and bytes, where a Map lookup first hashes it (3x the
 * cost, and this runs for every receipt); an untrusted value never reads Object.prototype either.
 */
function kindOf(eventType: string): EventKind | undefined {
  switch (eventType) {
    case "TEXT_QUEUED":
    case "TEXT_PENDING":
      return "queued";
    case "TEXT_SUCCESSFUL":
      return "sent";
    case "TEXT_DELIVERED":
      return "delivered";
    case "TEXT_BLOCKED":
    case "TEXT_TTL_EXPIRED":
    case "TEXT_CARRIER_UNREACHABLE":
    case "TEXT_INVALID":
    case "TEXT_INVALID_MESSAGE":
    case "TEXT_CARRIER_BLOCKED":
    case "TEXT_UNREACHABLE":
    case "TEXT_SPAM":
    case "TEXT_UNKNOWN":
    case "TEXT_PROTECT_BLOCKED":
      return "failed";
    default:
      return undefined;
  }
}

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
  const kind = kindOf(eventType);
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
