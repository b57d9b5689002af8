import { describe, expect, it } from "vitest";
import { type DecodeError, decodeRecord, decodeText, MAX_PARTS } from "../../../core/events";
import { fixtureBytes, fixtureJson, fixtureText } from "./fixtures";

function errorOf(raw: Uint8Array | string, receivedAt?: string): DecodeError {
  const result = decodeRecord(raw, receivedAt ? { receivedAt } : {});
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.events)}`);
  return result.error;
}

function mutated(fixture: string, change: (payload: Record<string, unknown>) => void): string {
  const payload = fixtureJson(fixture) as Record<string, unknown>;
  change(payload);
  return JSON.stringify(payload);
}

describe("records that do not decode", () => {
  it.each([
    ["broken JSON", '{"eventType": "TEXT_SUCCESSFUL",', "invalid_json", /not valid JSON/],
    ["plain text", "hello there", "invalid_json", /neither JSON nor a Twilio/],
    ["an empty record", "  \n", "invalid_payload", /empty/],
    ["a JSON object of no known format", '{"hello":"world"}', "unknown_format", /keys hello/],
    ["a JSON scalar", "[1]", "unknown_format", /item 0: expected a JSON object, got a number/],
    ["an empty array", "[]", "invalid_payload", /empty array/],
  ])("reports %s with code %s", (_name, raw, code, reason) => {
    const error = errorOf(raw);
    expect(error.code).toBe(code);
    expect(error.reason).toMatch(reason);
  });

  it("reports bytes that are not UTF-8", () => {
    expect(errorOf(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({
      code: "invalid_payload",
      reason: "the record is not UTF-8 text",
    });
  });

  it.each([
    ["a queued End User Messaging event", "eum-text-queued.derived.json"],
    ["a receipt without a messageId", "eum-text-delivered.derived.json"],
  ])(
    "refuses %s without the recipient's number: only a receipt with a message id may lack it",
    (_name, fixture) => {
      const raw = mutated(fixture, (p) => {
        delete p.destinationPhoneNumber;
        if (fixture.includes("delivered")) delete p.messageId;
      });
      const error = errorOf(raw);
      expect(error.code).toBe("invalid_payload");
      expect(error.reason).toMatch(
        /recipient's phone number is missing \(only a delivery receipt with a message id/,
      );
    },
  );

  it.each([
    ["two-way-inbound.json", /two-way SMS message carries no timestamp/],
    ["twilio-inbound.txt", /incoming-message webhook carries no timestamp/],
    ["twilio-status-delivered.txt", /status callback carries no timestamp/],
  ])("asks for the receive time of %s, which carries none", (fixture, reason) => {
    expect(errorOf(fixtureBytes(fixture)).reason).toMatch(reason);
    expect(errorOf(fixtureBytes(fixture), "yesterday").reason).toMatch(reason);
  });

  it.each([
    [
      "a Pinpoint email event",
      mutated("pinpoint-sms-success.json", (p) => {
        p.event_type = "_email.send";
      }),
      /_email.send is not an SMS event/,
    ],
    [
      "a Pinpoint SMS event without a recipient or a message id",
      mutated("pinpoint-sms-success.json", (p) => {
        delete (p.attributes as Record<string, unknown>).destination_phone_number;
        delete (p.attributes as Record<string, unknown>).message_id;
      }),
      /recipient's phone number is missing/,
    ],
    [
      "a Pinpoint SMS event with a bad timestamp",
      mutated("pinpoint-sms-success.json", (p) => {
        p.event_timestamp = "soon";
      }),
      /event time is missing or invalid/,
    ],
    [
      "an End User Messaging voice event",
      mutated("eum-text-successful.json", (p) => {
        p.eventType = "VOICE_COMPLETED";
      }),
      /VOICE_COMPLETED is not an SMS event/,
    ],
    [
      "an undocumented TEXT_ event type",
      mutated("eum-text-successful.json", (p) => {
        p.eventType = "TEXT_TELEPORTED";
      }),
      /TEXT_TELEPORTED is not a documented SMS event type/,
    ],
    [
      "a recipient number without a country",
      mutated("eum-text-successful.json", (p) => {
        p.destinationPhoneNumber = "(425) 555-0156";
      }),
      /is not a phone number in international format/,
    ],
    [
      "an EventBridge event about voice",
      mutated("eum-eventbridge-with-destination.derived.json", (p) => {
        p["detail-type"] = "Voice Message Delivery Status Updated";
      }),
      /only SMS events are decoded/,
    ],
    [
      "an SNS notification whose Message is not JSON",
      mutated("two-way-sns-notification.json", (p) => {
        p.Message = "Hello world!";
      }),
      /Message is not JSON/,
    ],
    [
      "an ACS delivery report with an unknown status",
      JSON.stringify(
        (fixtureJson("acs-delivery-report.eventgrid.json") as Record<string, Record<string, unknown>>[]).map(
          (e) => ({
            ...e,
            data: { ...e.data, deliveryStatus: "Teleported" },
          }),
        ),
      ),
      /item 0: .*deliveryStatus "Teleported" is neither Delivered nor Failed/,
    ],
    [
      "an ACS chat event",
      mutated("acs-sms-received.cloudevent.derived.json", (p) => {
        p.type = "Microsoft.Communication.ChatMessageReceived";
      }),
      /ChatMessageReceived is not an SMS event/,
    ],
    [
      "a canonical event with a bad phone number",
      mutated("canonical-sent.json", (p) => {
        p.phoneNumber = "4255550123";
      }),
      /canonical event does not match the schema: phoneNumber/,
    ],
    [
      "a canonical event with a field the schema does not know",
      mutated("canonical-sent.json", (p) => {
        p.mood = "happy";
      }),
      /canonical event does not match the schema/,
    ],
    [
      "a Lambda Kinesis event given as a record",
      fixtureText("envelope-lambda-kinesis.json"),
      /trigger envelope/,
    ],
  ])("rejects %s with a reason", (_name, raw, reason) => {
    const error = errorOf(raw, "2026-11-24T09:30:00.000Z");
    expect(["invalid_json", "unknown_format", "invalid_payload"]).toContain(error.code);
    expect(error.reason).toMatch(reason);
  });

  it("rejects a Twilio status it does not know", () => {
    const body = fixtureText("twilio-status-sent.txt").replace(
      "MessageStatus=sent",
      "MessageStatus=teleported",
    );
    expect(errorOf(body, "2026-11-24T09:30:00.000Z").reason).toMatch(/"teleported" is not an SMS status/);
  });

  // Found by the fuzz: the status tables were read with the untrusted value as a key, so these
  // names reached Object.prototype and decoded to an event whose kind was an object or a function.
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "rejects a Twilio status or an EUM event type named like an Object.prototype member (%s)",
    (name) => {
      const twilio = fixtureText("twilio-status-sent.txt").replace(
        "MessageStatus=sent",
        `MessageStatus=${name}`,
      );
      expect(errorOf(twilio, "2026-11-24T09:30:00.000Z").reason).toMatch(/is not an SMS status/);
      const eum = mutated("eum-text-successful.json", (payload) => {
        payload.eventType = name;
      });
      expect(errorOf(eum).code).toBe("invalid_payload");
    },
  );

  // Found by the fuzz: a part count beyond INT32 decoded, then made the archive's Parquet writer
  // throw, which failed the archive's whole batch on every retry.
  it("leaves out a native part count the archive's INT32 column cannot hold, and rejects it in a canonical event", () => {
    const eum = mutated("eum-text-successful.json", (payload) => {
      payload.totalMessageParts = "4255550123";
    });
    const result = decodeRecord(eum);
    expect(result.ok && result.events[0]).not.toHaveProperty("parts");
    const canonical = JSON.stringify({ ...(fixtureJson("canonical-sent.json") as object), parts: 2 ** 31 });
    expect(errorOf(canonical).code).toBe("invalid_payload");
    const atLimit = JSON.stringify({ ...(fixtureJson("canonical-sent.json") as object), parts: MAX_PARTS });
    expect(decodeRecord(atLimit).ok).toBe(true);
  });

  // Found by the fuzz: String() of a deeply nested array overflowed the stack inside the decoder;
  // only decodeRecord's safety net caught it, with a reason nobody could act on.
  it.each([
    ["eum-eventbridge-delivered.json", "detail-type"],
    ["eum-text-successful.json", "eventTimestamp"],
    ["pinpoint-sms-failure.derived.json", "event_timestamp"],
  ])("answers a deeply nested %s %s with a typed error, without throwing", (fixture, field) => {
    const deep = `${"[".repeat(20_000)}1${"]".repeat(20_000)}`;
    const body = mutated(fixture, (payload) => {
      payload[field] = "DEEP";
    }).replace('"DEEP"', deep);
    const result = decodeText(body, {});
    expect(result.ok).toBe(false);
  });
});
