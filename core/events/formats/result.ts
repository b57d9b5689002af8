import type { SmsEvent } from "../schema";

/** Why a record did not decode. `reason` is one sentence a person can act on. */
export type DecodeError = { code: "invalid_json" | "unknown_format" | "invalid_payload"; reason: string };
export type DecodeResult =
  /** `replayed`: the record was published back from the archive by `smsctl replay` (./replay.ts). */
  { ok: true; events: SmsEvent[]; replayed?: true } | { ok: false; error: DecodeError };

/**
 * What the transport knows about a record that the payload itself may not carry. Twilio webhooks
 * and the two-way SMS message have no timestamp of their own: their time is when they were received
 * (an SNS notification's Timestamp, a Pub/Sub publishTime, a Kinesis arrival time).
 */
export interface DecodeContext {
  /** ISO-8601 time the record was received by our side. */
  receivedAt?: string;
}

export function decoded(...events: SmsEvent[]): DecodeResult {
  return { ok: true, events };
}

export function invalidPayload(reason: string): DecodeResult {
  return { ok: false, error: { code: "invalid_payload", reason } };
}

export function invalidJson(reason: string): DecodeResult {
  return { ok: false, error: { code: "invalid_json", reason } };
}

export function unknownFormat(reason: string): DecodeResult {
  return { ok: false, error: { code: "unknown_format", reason } };
}
