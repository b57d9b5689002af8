/**
 * Amazon Pinpoint event-stream SMS events (`_SMS.*`): snake_case attributes, epoch-millisecond
 * timestamps, price in millicents. Shape: docs.aws.amazon.com/pinpoint/latest/developerguide/event-streams-data-sms.html
 */
import type { EventKind } from "../schema";
import {
  type EventDraft,
  finishEvent,
  messageTypeOf,
  type OurIds,
  ourIdsFrom,
  stableEventId,
  tryParseJson,
} from "./build";
import { senderIdentity } from "./phone";
import { type DecodeResult, invalidPayload } from "./result";
import { isoFromEpochMs } from "./time";
import { amount, isObject, type JsonObject, partsCount, scalarText, text } from "./values";

const FORMAT = "Amazon Pinpoint SMS event";
const MILLICENTS_PER_USD = 100_000;

export function isPinpointEvent(payload: JsonObject): boolean {
  return typeof payload.event_type === "string" && isObject(payload.attributes);
}

export function decodePinpoint(payload: JsonObject): DecodeResult {
  const eventType = payload.event_type as string;
  const attributes = payload.attributes as JsonObject;
  const recordStatus = text(attributes, "record_status");
  const kind = kindOf(eventType, recordStatus);
  if (kind === undefined) {
    return invalidPayload(
      eventType.startsWith("_SMS.")
        ? `${FORMAT}: event_type ${eventType} is not one we decode (_SMS.BUFFERED, _SMS.SUCCESS, _SMS.FAILURE, _SMS.OPTOUT)`
        : `Amazon Pinpoint event ${eventType} is not an SMS event`,
    );
  }
  const messageId = text(attributes, "message_id");
  const timestamp = payload.event_timestamp;
  const millicents = isObject(payload.metrics) ? amount(payload.metrics.price_in_millicents_usd) : undefined;
  const ids = idsOf(attributes);
  const draft: EventDraft = {
    eventId: stableEventId("aws-pinpoint", messageId, eventType, recordStatus, scalarText(timestamp)),
    kind,
    occurredAt: isoFromEpochMs(timestamp),
    provider: "aws-pinpoint",
    senderNumber: senderIdentity(text(attributes, "origination_phone_number")),
    ...ids,
    messageId,
    status: recordStatus,
    failureReason: kind === "failed" ? (recordStatus ?? eventType) : undefined,
    parts: partsCount(attributes.number_of_message_parts),
    priceUsd: millicents === undefined ? undefined : millicents / MILLICENTS_PER_USD,
    countryCode: text(attributes, "iso_country_code"),
    messageType: messageTypeOf(text(attributes, "message_type")),
  };
  return finishEvent(FORMAT, draft, text(attributes, "destination_phone_number"));
}

function kindOf(eventType: string, recordStatus: string | undefined): EventKind | undefined {
  switch (eventType) {
    case "_SMS.BUFFERED":
    case "_SMS.SEND":
      return "queued";
    case "_SMS.SUCCESS":
      // SUCCESS covers "accepted by the carrier" (SUCCESSFUL) and "delivered to the handset" (DELIVERED).
      return recordStatus === "DELIVERED" ? "delivered" : "sent";
    case "_SMS.FAILURE":
      return "failed";
    case "_SMS.OPTOUT":
      return "opted_out";
    default:
      return undefined;
  }
}

/**
 * Our ids travel in `customer_context` (the JSON Context map of SendMessages). Pinpoint's own
 * campaign_id / journey_id name the Pinpoint campaign or journey that sent the message, so they
 * are used when no context says otherwise.
 */
function idsOf(attributes: JsonObject): OurIds {
  const context = text(attributes, "customer_context");
  const parsed = context === undefined ? undefined : tryParseJson(context);
  const fromContext = parsed?.ok ? ourIdsFrom(parsed.value) : {};
  return {
    campaignId: fromContext.campaignId ?? text(attributes, "campaign_id"),
    journeyId: fromContext.journeyId ?? text(attributes, "journey_id"),
    subscriberId: fromContext.subscriberId,
  };
}
