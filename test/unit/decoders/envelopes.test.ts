import { describe, expect, it } from "vitest";
import { decodeRecord, type EnvelopeRecord, type SmsEvent, unwrapEnvelope } from "../../../core/events";
import { fixtureBytes, fixtureJson, fixtureText } from "./fixtures";

function unwrap(fixture: string): EnvelopeRecord[] {
  const records = unwrapEnvelope(fixtureJson(fixture));
  if (records === undefined) throw new Error(`${fixture} was not recognised as an envelope`);
  return records;
}

function decodeAll(records: EnvelopeRecord[]): SmsEvent[] {
  return records.flatMap((record) => {
    const result = decodeRecord(record.raw, { receivedAt: record.receivedAt });
    if (!result.ok) throw new Error(`record ${record.id}: ${result.error.reason}`);
    return result.events;
  });
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("unwrapping trigger envelopes", () => {
  it("splits a Lambda Kinesis event into its base64-decoded records, keyed by eventID", () => {
    const records = unwrap("envelope-lambda-kinesis.json");
    expect(records.map((r) => r.id)).toEqual([
      "shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
      "shardId-000000000006:49590338271490256608559692540925702759324208523137515618",
      "shardId-000000000006:49590338271490256608559692540925702759324208523137515619",
    ]);
    expect(text(records[0].raw)).toBe(fixtureText("eum-text-successful.json"));
    expect(records[0].receivedAt).toBe("2018-12-17T22:10:50.987Z");
    expect(decodeAll(records).map((e) => [e.provider, e.kind])).toEqual([
      ["aws-eum", "sent"],
      ["aws-pinpoint", "delivered"],
      ["local", "sent"],
    ]);
  });

  it("dates the two-way message of a Lambda SNS event with the notification's timestamp", () => {
    const records = unwrap("envelope-lambda-sns.json");
    expect(records).toHaveLength(1);
    expect(records[0].id).toBe("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
    const [event] = decodeAll(records);
    expect(event).toMatchObject({
      kind: "received",
      occurredAt: "2019-01-02T12:45:07.000Z",
      body: "EXAMPLE",
    });
  });

  it("decodes the data of a Pub/Sub push body, dated by its publish time", () => {
    const records = unwrap("envelope-pubsub-push.json");
    expect(records.map((r) => [r.id, r.receivedAt])).toEqual([
      ["2070443601311540", "2021-02-26T19:13:55.749Z"],
    ]);
    expect(text(records[0].raw)).toBe(fixtureText("twilio-inbound.txt"));
    expect(decodeAll(records)[0]).toMatchObject({ provider: "twilio", kind: "received", body: "Ahoy! STOP" });
  });

  it("decodes the message inside a Pub/Sub CloudEvent", () => {
    const records = unwrap("envelope-pubsub-cloudevent.json");
    expect(records.map((r) => [r.id, r.receivedAt])).toEqual([["message-id", "2020-09-29T11:32:00.000Z"]]);
    expect(decodeAll(records)[0]).toMatchObject({ provider: "twilio", kind: "delivered" });
  });

  it("treats an Event Hubs batch of bodies as one record per body", () => {
    const records = unwrap("envelope-eventhubs-bodies.json");
    expect(records.map((r) => r.id)).toEqual(["0", "1"]);
    expect(decodeAll(records).map((e) => e.kind)).toEqual(["delivered", "received"]);
  });

  it("reads bodies, sequence numbers and enqueue times from an Event Hubs batch of events", () => {
    const records = unwrap("envelope-eventhubs-wrapped.json");
    expect(records.map((r) => [r.id, r.receivedAt])).toEqual([
      ["17", "2020-09-18T00:22:21.000Z"],
      ["18", "2020-09-18T00:27:48.000Z"],
    ]);
    expect(decodeAll(records).map((e) => e.kind)).toEqual(["delivered", "received"]);
  });

  it("keeps a canonical event that has a body as one Event Hubs record rather than a wrapper", () => {
    const reply = { ...(fixtureJson("canonical-sent.json") as object), kind: "received", body: "STOP" };
    const [record] = unwrapEnvelope([reply]) ?? [];
    expect(JSON.parse(text(record.raw))).toEqual(reply);
  });

  it("says a native payload or a scalar is not an envelope", () => {
    for (const value of [
      fixtureJson("eum-text-successful.json"),
      "text",
      42,
      null,
      undefined,
      { Records: [{}] },
    ]) {
      expect(unwrapEnvelope(value)).toBeUndefined();
    }
  });

  it("turns a record whose data is missing into an empty record that fails to decode", () => {
    const records = unwrapEnvelope({ Records: [{ kinesis: { sequenceNumber: "7" } }] }) ?? [];
    expect(records).toEqual([{ id: "7", raw: new Uint8Array(0) }]);
    expect(decodeRecord(records[0].raw)).toEqual({
      ok: false,
      error: { code: "invalid_payload", reason: "the record is empty" },
    });
  });

  it("keeps the raw bytes of a record exactly as the envelope carried them", () => {
    const bytes = fixtureBytes("pinpoint-sms-success.json");
    const [record] =
      unwrapEnvelope({ message: { data: Buffer.from(bytes).toString("base64") }, subscription: "s" }) ?? [];
    expect(record.raw).toEqual(bytes);
  });
});
