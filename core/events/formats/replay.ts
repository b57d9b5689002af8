/**
 * A record `smsctl replay` published back into the stream from the archive:
 * {"replayOf":"archive","event":{...canonical event}}. The mark lives in the record, not in the
 * event schema (the archive's columns derive from the schema's fields), and it survives every
 * transport because it is part of the bytes. Consumers decide what a replayed event means to them:
 * see core/processing/batch.ts (skipReplayed).
 */
import { decodeCanonical, isCanonicalEvent } from "./canonical";
import { type DecodeResult, invalidPayload } from "./result";
import { isObject, type JsonObject } from "./values";

/** Where replayed events come from; the only source replay has. */
export const REPLAY_SOURCE = "archive";

export function isReplayRecord(payload: JsonObject): boolean {
  return "replayOf" in payload;
}

/** The replayed canonical event, marked `replayed`; anything else in the record is an error. */
export function decodeReplay(payload: JsonObject): DecodeResult {
  if (payload.replayOf !== REPLAY_SOURCE)
    return invalidPayload(`replayed record: replayOf must be "${REPLAY_SOURCE}"`);
  const extra = Object.keys(payload).filter((key) => key !== "replayOf" && key !== "event");
  if (extra.length > 0)
    return invalidPayload(`replayed record: unexpected keys ${extra.slice(0, 3).join(", ")}`);
  const event = payload.event;
  if (!isObject(event) || !isCanonicalEvent(event))
    return invalidPayload("replayed record: event must be one canonical event");
  const result = decodeCanonical(event);
  if (!result.ok)
    return { ok: false, error: { ...result.error, reason: `replayed record: ${result.error.reason}` } };
  return { ...result, replayed: true };
}

/** The record text of a replayed event, given the event's canonical JSON. */
export const replayRecordText = (eventJson: string): string =>
  `{"replayOf":"${REPLAY_SOURCE}","event":${eventJson}}`;
