import { randomUUID } from "node:crypto";
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import type { SmsEvent } from "../../../core/events/schema";

/** A canonical event with a unique id (tests share emulator state), sensible defaults and overrides. */
export const smsEvent = (overrides: Partial<SmsEvent> & Pick<SmsEvent, "kind">): SmsEvent => ({
  eventId: `evt-${randomUUID()}`,
  schemaVersion: 1,
  occurredAt: "2026-11-24T10:00:30.000Z",
  provider: "aws-eum",
  phoneNumber: "+14255550100",
  ...overrides,
});

export const replyEvent = (body: string, overrides: Partial<SmsEvent> = {}): SmsEvent =>
  smsEvent({ kind: "received", body, ...overrides });

/** What a record carries: a canonical event (as JSON) or raw bytes/text exactly as given. */
export type RecordPayload = SmsEvent | Uint8Array | string;

const bytesOf = (payload: RecordPayload): Uint8Array =>
  payload instanceof Uint8Array
    ? payload
    : new TextEncoder().encode(typeof payload === "string" ? payload : JSON.stringify(payload));

let sequence = 49_590_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;

/** One Kinesis record as Lambda delivers it (base64 data, shard-scoped event id). */
export const kinesisRecord = (
  payload: RecordPayload,
  shardId = "shardId-000000000000",
): KinesisStreamRecord => {
  sequence += 1n;
  const sequenceNumber = sequence.toString();
  const partitionKey =
    typeof payload === "object" && "phoneNumber" in payload
      ? (payload.subscriberId ?? payload.phoneNumber ?? "unknown")
      : "unknown";
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey,
      sequenceNumber,
      data: Buffer.from(bytesOf(payload)).toString("base64"),
      approximateArrivalTimestamp: Date.parse("2026-11-24T10:00:31.000Z") / 1000,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: "arn:aws:iam::000000000000:role/test",
    awsRegion: "us-east-1",
    eventSourceARN: "arn:aws:kinesis:us-east-1:000000000000:stream/sms-events",
  };
};

/** A Kinesis trigger event holding the records in order. */
export const kinesisEvent = (records: KinesisStreamRecord[]): KinesisStreamEvent => ({ Records: records });

export const sequenceOf = (record: KinesisStreamRecord): string => record.kinesis.sequenceNumber;

/** Bytes no decoder accepts (not UTF-8). */
export const poisonBytes = (): Uint8Array => new Uint8Array([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28]);
