/**
 * Azure Communication Services SMS events, in the Event Grid schema (eventType, data, eventTime,
 * id) and the CloudEvents schema (type, data, time, id, specversion). Azure numbers may lack the
 * leading "+", and the docs show data fields both camelCase and PascalCase. Shape:
 * learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events
 *
 * Tag convention: the SMS `tag` we send is a query string of our ids,
 * `campaignId=...&journeyId=...&subscriberId=...` (encodeAcsTag builds it); a JSON object with the
 * same keys is read too. Any other tag is someone else's and yields no ids.
 */
import type { EventKind } from "../schema";
import { type EventDraft, finishEvent, type OurIds, ourIdsFrom, stableEventId, tryParseJson } from "./build";
import { senderIdentity } from "./phone";
import { type DecodeResult, invalidPayload } from "./result";
import { isoFromText } from "./time";
import { count, eitherCase, isObject, type JsonObject, partsCount } from "./values";

const FORMAT = "Azure Communication Services SMS event";
const PREFIX = "Microsoft.Communication.";
const RECEIVED = "Microsoft.Communication.SMSReceived";
const DELIVERY_REPORT = "Microsoft.Communication.SMSDeliveryReportReceived";

export function isAcsEventGrid(payload: JsonObject): boolean {
  return typeof payload.eventType === "string" && payload.eventType.startsWith(PREFIX);
}

export function isAcsCloudEvent(payload: JsonObject): boolean {
  return (
    typeof payload.specversion === "string" &&
    typeof payload.type === "string" &&
    payload.type.startsWith(PREFIX)
  );
}

export function decodeAcsEventGrid(payload: JsonObject): DecodeResult {
  return decodeAcs(payload.eventType as string, payload.data, payload.eventTime);
}

export function decodeAcsCloudEvent(payload: JsonObject): DecodeResult {
  return decodeAcs(payload.type as string, payload.data, payload.time);
}

function decodeAcs(eventType: string, data: unknown, envelopeTime: unknown): DecodeResult {
  if (eventType !== RECEIVED && eventType !== DELIVERY_REPORT) {
    return invalidPayload(`Azure Communication Services event ${eventType} is not an SMS event`);
  }
  if (!isObject(data)) return invalidPayload(`${FORMAT} ${eventType}: data is missing`);
  const messageId = field(data, "messageId");
  const receivedTimestamp = field(data, "receivedTimestamp");
  const occurredAt = isoFromText(receivedTimestamp) ?? isoFromText(envelopeTime);
  return eventType === RECEIVED
    ? decodeReceived(data, messageId, receivedTimestamp, occurredAt)
    : decodeDeliveryReport(data, messageId, receivedTimestamp, occurredAt);
}

function decodeReceived(
  data: JsonObject,
  messageId: string | undefined,
  receivedTimestamp: string | undefined,
  occurredAt: string | undefined,
): DecodeResult {
  const message = eitherCase(data, "message");
  const draft: EventDraft = {
    eventId: stableEventId("azure-acs", messageId, RECEIVED, receivedTimestamp),
    kind: "received",
    occurredAt,
    provider: "azure-acs",
    senderNumber: senderIdentity(field(data, "to")),
    messageId,
    body: typeof message === "string" ? message : undefined,
    parts: partsCount(eitherCase(data, "segmentCount")),
  };
  return finishEvent(FORMAT, draft, field(data, "from"));
}

function decodeDeliveryReport(
  data: JsonObject,
  messageId: string | undefined,
  receivedTimestamp: string | undefined,
  occurredAt: string | undefined,
): DecodeResult {
  const status = field(data, "deliveryStatus");
  const kind = deliveryKind(status);
  if (kind === undefined) {
    return invalidPayload(`${FORMAT}: deliveryStatus "${status ?? ""}" is neither Delivered nor Failed`);
  }
  const details = field(data, "deliveryStatusDetails");
  const draft: EventDraft = {
    eventId: stableEventId("azure-acs", messageId, DELIVERY_REPORT, status, receivedTimestamp),
    kind,
    occurredAt,
    provider: "azure-acs",
    senderNumber: senderIdentity(field(data, "from")),
    ...decodeAcsTag(field(data, "tag")),
    messageId,
    status,
    failureReason: kind === "failed" ? (details ?? status) : undefined,
    parts: segmentsOfLastAttempt(eitherCase(data, "deliveryAttempts")),
  };
  return finishEvent(FORMAT, draft, field(data, "to"));
}

function deliveryKind(status: string | undefined): EventKind | undefined {
  const lower = status?.toLowerCase();
  if (lower === "delivered") return "delivered";
  if (lower === "failed") return "failed";
  return undefined;
}

/** The message's segment count, as the last delivery attempt reports it. */
function segmentsOfLastAttempt(attempts: unknown): number | undefined {
  if (!Array.isArray(attempts) || attempts.length === 0) return undefined;
  const last = attempts[attempts.length - 1];
  if (!isObject(last)) return undefined;
  const succeeded = count(eitherCase(last, "segmentsSucceeded"));
  const failed = count(eitherCase(last, "segmentsFailed"));
  if (succeeded === undefined && failed === undefined) return undefined;
  return partsCount((succeeded ?? 0) + (failed ?? 0));
}

function field(data: JsonObject, camel: string): string | undefined {
  const value = eitherCase(data, camel);
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

const TAG_KEYS = ["campaignId", "journeyId", "subscriberId"] as const;

/** Our ids as an ACS SMS tag (see the convention above); undefined when there are none. */
export function encodeAcsTag(ids: OurIds): string | undefined {
  const params = new URLSearchParams();
  for (const key of TAG_KEYS) {
    const value = ids[key];
    if (value !== undefined && value !== "") params.set(key, value);
  }
  const tag = params.toString();
  return tag === "" ? undefined : tag;
}

/** Reads our ids back from a tag; a tag that is not ours gives none. */
export function decodeAcsTag(tag: string | undefined): OurIds {
  if (tag === undefined) return {};
  if (tag.startsWith("{")) {
    const parsed = tryParseJson(tag);
    return parsed.ok ? ourIdsFrom(parsed.value) : {};
  }
  if (!TAG_KEYS.some((key) => tag.includes(`${key}=`))) return {};
  const params = new URLSearchParams(tag);
  const ids: Record<string, string> = {};
  for (const key of TAG_KEYS) {
    const value = params.get(key);
    if (value !== null && value !== "") ids[key] = value;
  }
  return ids;
}
