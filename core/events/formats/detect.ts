/** Recognises which native format a JSON value is and hands it to that format's decoder. */
import { decodeAcsCloudEvent, decodeAcsEventGrid, isAcsCloudEvent, isAcsEventGrid } from "./acs";
import { decodeCanonical, isCanonicalEvent } from "./canonical";
import { unwrapEnvelope } from "./envelopes";
import { decodeEum, decodeEumEventBridge, isEumEvent, isEumEventBridge } from "./eum";
import { decodePinpoint, isPinpointEvent } from "./pinpoint";
import { decodeReplay, isReplayRecord } from "./replay";
import { type DecodeContext, type DecodeResult, decoded, invalidPayload, unknownFormat } from "./result";
import { decodeSnsNotification, isSnsNotification } from "./sns";
import { decodeTwilio, isTwilioObject, objectParams } from "./twilio";
import { decodeTwoWay, isTwoWayMessage } from "./two-way";
import { describeKeys, isObject, type JsonObject } from "./values";

/** Decodes one parsed payload: an object, or an array of them (Event Grid delivers arrays). */
export function decodeValue(value: unknown, context: DecodeContext): DecodeResult {
  if (Array.isArray(value)) return decodeArray(value, context);
  if (!isObject(value)) return unknownFormat(`expected a JSON object or array, got ${describeValue(value)}`);
  if (isReplayRecord(value)) return decodeReplay(value);
  return decodeObject(value, context, true);
}

function decodeObject(payload: JsonObject, context: DecodeContext, allowSns: boolean): DecodeResult {
  if (isCanonicalEvent(payload)) return decodeCanonical(payload);
  // The mark covers a whole stream record; inside an array or a notification it would be ambiguous.
  if (isReplayRecord(payload)) return invalidPayload("a replayed record must be a whole stream record");
  if (isSnsNotification(payload)) {
    if (!allowSns) return invalidPayload("SNS notification nested inside another SNS notification");
    return decodeSnsNotification(payload, context, (inner, innerContext) =>
      isObject(inner)
        ? decodeObject(inner, innerContext, false)
        : unknownFormat(`SNS notification: Message holds ${describeValue(inner)}, not a JSON object`),
    );
  }
  if (isPinpointEvent(payload)) return decodePinpoint(payload);
  if (isEumEventBridge(payload)) return decodeEumEventBridge(payload);
  if (isAcsEventGrid(payload)) return decodeAcsEventGrid(payload);
  if (isAcsCloudEvent(payload)) return decodeAcsCloudEvent(payload);
  if (isEumEvent(payload)) return decodeEum(payload);
  if (isTwoWayMessage(payload)) return decodeTwoWay(payload, context);
  if (isTwilioObject(payload)) return decodeTwilio(objectParams(payload), context);
  if (unwrapEnvelope(payload) !== undefined) {
    return unknownFormat("this is a trigger envelope, not a record: unwrap it first (unwrapEnvelope)");
  }
  return unknownFormat(`not a supported SMS event: ${describeKeys(payload)}`);
}

function decodeArray(items: unknown[], context: DecodeContext): DecodeResult {
  if (items.length === 0) return invalidPayload("empty array: no event to decode");
  const events = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const result = isObject(item)
      ? decodeObject(item, context, true)
      : unknownFormat(`expected a JSON object, got ${describeValue(item)}`);
    if (!result.ok) {
      return {
        ok: false,
        error: { code: result.error.code, reason: `item ${index}: ${result.error.reason}` },
      };
    }
    events.push(...result.events);
  }
  return decoded(...events);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
