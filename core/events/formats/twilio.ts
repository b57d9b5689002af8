/**
 * Twilio's form-encoded messaging webhooks: the incoming-message webhook (From, To, Body,
 * MessageSid, NumSegments, ...) and the status callback (MessageStatus, ErrorCode). Neither
 * carries a usable timestamp (RawDlrDoneDate has no time zone), so the time is when the webhook
 * was received. Shapes: twilio.com/docs/messaging/guides/webhook-request and
 * twilio.com/docs/messaging/guides/track-outbound-message-status
 */
import type { EventKind } from "../schema";
import { type EventDraft, finishEvent, stableEventId } from "./build";
import { senderIdentity } from "./phone";
import { type DecodeContext, type DecodeResult, invalidPayload } from "./result";
import { isoFromText } from "./time";
import { missingTime } from "./two-way";
import { entryOf, type JsonObject, partsCount } from "./values";

const FORMAT = "Twilio webhook";

/** Reads one webhook parameter; undefined when absent or empty. */
export type TwilioParams = (name: string) => string | undefined;

const STATUS_KINDS: Record<string, EventKind> = {
  accepted: "queued",
  scheduled: "queued",
  queued: "queued",
  sending: "queued",
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  undelivered: "failed",
  failed: "failed",
  canceled: "failed",
};

/** A form body is Twilio's when it names a message and an account. */
export function looksLikeTwilioForm(body: string): boolean {
  return (body.includes("MessageSid=") || body.includes("SmsSid=")) && body.includes("AccountSid=");
}

export function formParams(body: string): TwilioParams {
  const params = new URLSearchParams(body.trim());
  return (name) => params.get(name) || undefined;
}

/** The same parameters already turned into a JSON object by whoever forwarded the webhook. */
export function isTwilioObject(payload: JsonObject): boolean {
  return (
    (typeof payload.MessageSid === "string" || typeof payload.SmsSid === "string") && "AccountSid" in payload
  );
}

export function objectParams(payload: JsonObject): TwilioParams {
  return (name) => {
    const value = payload[name];
    if (typeof value === "string") return value || undefined;
    return typeof value === "number" ? String(value) : undefined;
  };
}

export function decodeTwilio(param: TwilioParams, context: DecodeContext): DecodeResult {
  const messageSid = param("MessageSid") ?? param("SmsSid");
  if (messageSid === undefined) return invalidPayload(`${FORMAT}: MessageSid is missing`);
  const messageStatus = param("MessageStatus");
  return messageStatus === undefined
    ? decodeIncoming(param, messageSid, context)
    : decodeStatusCallback(param, messageSid, messageStatus, context);
}

function decodeIncoming(param: TwilioParams, messageSid: string, context: DecodeContext): DecodeResult {
  // Twilio always names both numbers; a body without them is a fragment (a status callback cut
  // short has lost MessageStatus and To), not a reply from anyone.
  if (param("From") === undefined || param("To") === undefined)
    return invalidPayload(`${FORMAT}: an incoming message without From and To`);
  const occurredAt = isoFromText(context.receivedAt);
  if (occurredAt === undefined) return missingTime("A Twilio incoming-message webhook");
  const draft: EventDraft = {
    eventId: stableEventId("twilio", messageSid, "received"),
    kind: "received",
    occurredAt,
    provider: "twilio",
    senderNumber: senderIdentity(param("To")),
    messageId: messageSid,
    status: param("SmsStatus"),
    body: param("Body"),
    parts: partsCount(param("NumSegments")),
    countryCode: param("FromCountry"),
  };
  return finishEvent(FORMAT, draft, param("From"));
}

function decodeStatusCallback(
  param: TwilioParams,
  messageSid: string,
  messageStatus: string,
  context: DecodeContext,
): DecodeResult {
  const kind = entryOf(STATUS_KINDS, messageStatus);
  if (kind === undefined)
    return invalidPayload(`${FORMAT}: MessageStatus "${messageStatus}" is not an SMS status`);
  const occurredAt = isoFromText(context.receivedAt);
  if (occurredAt === undefined) return missingTime("A Twilio status callback");
  const draft: EventDraft = {
    eventId: stableEventId("twilio", messageSid, messageStatus, param("RawDlrDoneDate")),
    kind,
    occurredAt,
    provider: "twilio",
    senderNumber: senderIdentity(param("From")),
    messageId: messageSid,
    status: messageStatus,
    failureReason: kind === "failed" ? failureOf(param, messageStatus) : undefined,
    parts: partsCount(param("NumSegments")),
    countryCode: param("ToCountry"),
  };
  return finishEvent(FORMAT, draft, param("To"));
}

function failureOf(param: TwilioParams, messageStatus: string): string {
  const code = param("ErrorCode");
  if (code === undefined) return messageStatus;
  const message = param("ErrorMessage");
  return message === undefined ? `Twilio error ${code}` : `Twilio error ${code}: ${message}`;
}
