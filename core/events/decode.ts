/**
 * The decoding boundary: stream record bytes in, canonical events or a typed error out. Nothing
 * thrown inside escapes it. Formats live in ./formats, one file each.
 */
import { redactedMessage, redactText } from "../redact";
import { jsonErrorReason } from "./formats/build";
import { decodeValue } from "./formats/detect";
import { replayRecordText } from "./formats/replay";
import { type DecodeContext, type DecodeResult, invalidJson, invalidPayload } from "./formats/result";
import { decodeTwilio, formParams, looksLikeTwilioForm } from "./formats/twilio";
import { SMS_EVENT_FIELDS, type SmsEvent } from "./schema";

export { decodeAcsTag, encodeAcsTag } from "./formats/acs";
export type { OurIds } from "./formats/build";
export { type EnvelopeRecord, unwrapEnvelope } from "./formats/envelopes";
export type { DecodeContext, DecodeError, DecodeResult } from "./formats/result";

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * One stream record body (bytes or text) holding one native payload or canonical event (or an SNS
 * notification wrapping one). `context.receivedAt` dates payloads that carry no time of their own.
 */
export function decodeRecord(raw: Uint8Array | string, context: DecodeContext = {}): DecodeResult {
  const body = typeof raw === "string" ? raw : utf8Text(raw);
  if (body === undefined) return invalidPayload("the record is not UTF-8 text");
  try {
    return redacted(decodeText(body, context));
  } catch (error) {
    // Defence in depth: the decoders are written not to throw, and property tests hold them to it.
    return invalidPayload(`the record could not be decoded: ${redactedMessage(error)}`);
  }
}

/** A reason travels to dead letters, logs and the CLI's stderr: no phone number in it. */
const redacted = (result: DecodeResult): DecodeResult =>
  result.ok ? result : { ok: false, error: { ...result.error, reason: redactText(result.error.reason) } };

function utf8Text(raw: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(raw);
  } catch {
    return undefined;
  }
}

/** Decodes record text; exported for the property tests, which call it without the safety net. */
export function decodeText(body: string, context: DecodeContext): DecodeResult {
  const first = firstSignificantChar(body);
  if (first === "{" || first === "[") {
    // JSON.parse here rather than through tryParseJson: no result object per record.
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      return invalidJson(`the record is not valid JSON (${jsonErrorReason(error)})`);
    }
    return decodeValue(value, context);
  }
  if (first === undefined) return invalidPayload("the record is empty");
  if (looksLikeTwilioForm(body)) return decodeTwilio(formParams(body), context);
  return invalidJson("the record is neither JSON nor a Twilio form-encoded webhook body");
}

function firstSignificantChar(body: string): string | undefined {
  for (let index = 0; index < body.length; index++) {
    const char = body[index];
    if (char !== " " && char !== "\n" && char !== "\r" && char !== "\t" && char !== "\uFEFF") return char;
  }
  return undefined;
}

/** A canonical event as JSON text, fields in the schema's order (the CLI prints this). */
export function eventToJson(event: SmsEvent): string {
  const ordered: Record<string, unknown> = {};
  for (const field of SMS_EVENT_FIELDS) {
    if (event[field] !== undefined) ordered[field] = event[field];
  }
  return JSON.stringify(ordered);
}

/** Canonical event -> stream record bytes (JSON, UTF-8). */
export function encodeEvent(event: SmsEvent): Uint8Array {
  return utf8Encoder.encode(eventToJson(event));
}

/** Canonical event -> stream record bytes marked as replayed from the archive (./formats/replay.ts). */
export function encodeReplayedEvent(event: SmsEvent): Uint8Array {
  return utf8Encoder.encode(replayRecordText(eventToJson(event)));
}

/**
 * The stream partition key: the subscriber, else the phone number, so one person's events stay in
 * order. A receipt without a number is keyed by its message id, as the EventBridge rule keys it,
 * so one message's receipts stay in order.
 */
export function partitionKeyOf(event: SmsEvent): string {
  if (event.phoneNumber === undefined) return event.messageId ?? event.eventId;
  return event.subscriberId ?? event.phoneNumber;
}
