/**
 * Trigger envelopes: what a function receives, holding one or more stream records.
 * - Lambda Kinesis event: Records[].kinesis.data (base64)
 * - Lambda SNS event: Records[].Sns.Message
 * - Pub/Sub push body: { message: { data (base64), messageId, publishTime, attributes }, subscription }
 * - Pub/Sub CloudEvent (Eventarc / Cloud Functions gen2): data.message.data (base64)
 * - Event Hubs batch: an array of bodies, or of { body, enqueuedTimeUtc, sequenceNumber, ... }
 */
import { isoFromDateLike, isoFromEpochSeconds, isoFromText } from "./time";
import { isObject, type JsonObject, text } from "./values";

export interface EnvelopeRecord {
  /** The record's id in its transport (Kinesis eventID, SNS MessageId, Pub/Sub messageId, Event Hubs sequence number). */
  id: string;
  /** The record body exactly as the transport carried it (base64 already decoded). */
  raw: Uint8Array;
  /** When the transport received the record (ISO-8601), if it says. */
  receivedAt?: string;
}

const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);

export function unwrapEnvelope(input: unknown): EnvelopeRecord[] | undefined {
  // Array.from, not map: it visits the holes of a sparse array too, so every index yields a record.
  if (Array.isArray(input)) return Array.from(input, eventHubsRecord);
  if (!isObject(input)) return undefined;
  if (Array.isArray(input.Records)) return lambdaRecords(input.Records);
  if (isObject(input.message) && typeof input.subscription === "string")
    return [pubSubRecord(input.message, "0")];
  if (typeof input.specversion === "string" && isObject(input.data) && isObject(input.data.message)) {
    return [pubSubRecord(input.data.message, text(input, "id") ?? "0")];
  }
  return undefined;
}

function lambdaRecords(records: unknown[]): EnvelopeRecord[] | undefined {
  const first = records[0];
  if (first !== undefined && !(isObject(first) && (isObject(first.kinesis) || isObject(first.Sns))))
    return undefined;
  return Array.from(records, (record, index) => {
    if (!isObject(record)) return { id: String(index), raw: EMPTY };
    if (isObject(record.kinesis)) return kinesisRecord(record, record.kinesis, index);
    if (isObject(record.Sns)) return snsRecord(record.Sns, index);
    return { id: String(index), raw: EMPTY };
  });
}

function kinesisRecord(record: JsonObject, kinesis: JsonObject, index: number): EnvelopeRecord {
  return withTime(
    {
      id: text(record, "eventID") ?? text(kinesis, "sequenceNumber") ?? String(index),
      raw: fromBase64(kinesis.data),
    },
    isoFromEpochSeconds(kinesis.approximateArrivalTimestamp),
  );
}

function snsRecord(sns: JsonObject, index: number): EnvelopeRecord {
  const message = sns.Message;
  return withTime(
    {
      id: text(sns, "MessageId") ?? String(index),
      raw: typeof message === "string" ? utf8.encode(message) : EMPTY,
    },
    isoFromText(sns.Timestamp),
  );
}

function pubSubRecord(message: JsonObject, fallbackId: string): EnvelopeRecord {
  return withTime(
    {
      id: text(message, "messageId") ?? text(message, "message_id") ?? fallbackId,
      raw: fromBase64(message.data),
    },
    isoFromText(message.publishTime ?? message.publish_time),
  );
}

// Keys of the Event Hubs SDK's ReceivedEventData: an element made only of these is a wrapper.
const EVENT_HUBS_KEYS = new Set([
  "body",
  "enqueuedTimeUtc",
  "offset",
  "sequenceNumber",
  "partitionKey",
  "properties",
  "systemProperties",
  "contentType",
  "correlationId",
  "messageId",
]);

function eventHubsRecord(element: unknown, index: number): EnvelopeRecord {
  if (
    isObject(element) &&
    "body" in element &&
    Object.keys(element).every((key) => EVENT_HUBS_KEYS.has(key))
  ) {
    const sequence = element.sequenceNumber;
    const id =
      typeof sequence === "number" || typeof sequence === "string" ? String(sequence) : String(index);
    return withTime({ id, raw: bodyBytes(element.body) }, isoFromDateLike(element.enqueuedTimeUtc));
  }
  return { id: String(index), raw: bodyBytes(element) };
}

function bodyBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return utf8.encode(body);
  try {
    return utf8.encode(JSON.stringify(body) ?? "");
  } catch {
    // A value JSON cannot express (a BigInt, a cycle) has no bytes: the record then fails to decode.
    return EMPTY;
  }
}

function fromBase64(data: unknown): Uint8Array {
  return typeof data === "string" ? new Uint8Array(Buffer.from(data, "base64")) : EMPTY;
}

function withTime(record: EnvelopeRecord, receivedAt: string | undefined): EnvelopeRecord {
  return receivedAt === undefined ? record : { ...record, receivedAt };
}
