import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DecodeResult,
  decodeRecord,
  decodeText,
  SmsEventSchema,
  unwrapEnvelope,
} from "../../../core/events";
import { decodeValue } from "../../../core/events/formats/detect";
import { formatIso } from "../../../core/events/formats/time";
import { fixtureJson, fixtureText } from "./fixtures";

const RUNS = { numRuns: 300 };
const CONTEXTS = fc.oneof(
  fc.constant({}),
  fc.constant({ receivedAt: "2026-11-24T09:30:00.000Z" }),
  fc.record({ receivedAt: fc.string() }),
);

const JSON_FIXTURES = [
  "pinpoint-sms-success.json",
  "pinpoint-sms-optout.derived.json",
  "eum-text-successful.json",
  "eum-text-carrier-unreachable.derived.json",
  "eum-eventbridge-with-destination.derived.json",
  "eum-eventbridge-delivered.json",
  "two-way-inbound.json",
  "two-way-sns-notification.json",
  "acs-delivery-report.eventgrid.json",
  "acs-delivery-report-failed-tagged.eventgrid.derived.json",
  "acs-sms-received.cloudevent.derived.json",
  "canonical-sent.json",
  "envelope-lambda-kinesis.json",
  "envelope-pubsub-push.json",
  "envelope-eventhubs-wrapped.json",
];
const TWILIO_FIXTURES = [
  "twilio-inbound.txt",
  "twilio-status-delivered.txt",
  "twilio-status-undelivered.txt",
];

/** Every result is either valid canonical events (no undefined-valued keys) or a typed, worded error. */
function expectWellFormed(result: DecodeResult): void {
  if (result.ok) {
    for (const event of result.events) {
      expect(SmsEventSchema.safeParse(event).success).toBe(true);
      expect(Object.values(event)).not.toContain(undefined);
    }
  } else {
    expect(["invalid_json", "unknown_format", "invalid_payload"]).toContain(result.error.code);
    expect(result.error.reason.length).toBeGreaterThan(0);
  }
}

/** Every path (list of keys) into a JSON value, so a mutation can target any field at any depth. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function mutate(root: unknown, path: (string | number)[], replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) return replacement;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

const mutatedFixture = fc
  .constantFrom(...JSON_FIXTURES)
  .chain((name) => {
    const value = fixtureJson(name);
    return fc.tuple(
      fc.constant(value),
      fc.constantFrom(...pathsOf(value)),
      fc.oneof(fc.jsonValue(), fc.anything()),
      fc.boolean(),
    );
  })
  .map(([value, path, replacement, remove]) => mutate(value, path, replacement, remove));

describe("no input makes a decoder throw", () => {
  it("decodes any string to events or a typed error", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), CONTEXTS, (text, context) => {
        expectWellFormed(decodeText(text, context));
      }),
      RUNS,
    );
  });

  it("decodes any bytes to events or a typed error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expectWellFormed(decodeRecord(bytes));
      }),
      RUNS,
    );
  });

  it("decodes any JSON value to events or a typed error, and never mistakes it for an envelope by throwing", () => {
    fc.assert(
      fc.property(fc.jsonValue(), CONTEXTS, (value, context) => {
        expectWellFormed(decodeValue(value, context));
        expect(() => unwrapEnvelope(value)).not.toThrow();
      }),
      RUNS,
    );
  });

  it("survives every field of every documented payload being removed or replaced by anything", () => {
    fc.assert(
      fc.property(mutatedFixture, CONTEXTS, (value, context) => {
        expectWellFormed(decodeValue(value, context));
        const records = unwrapEnvelope(value) ?? [];
        for (const record of records)
          expectWellFormed(decodeRecord(record.raw, { receivedAt: record.receivedAt }));
      }),
      { numRuns: 1000 },
    );
  });

  it("survives Twilio form bodies with parameters added, changed or cut off", () => {
    const twilioBody = fc
      .tuple(fc.constantFrom(...TWILIO_FIXTURES.map(fixtureText)), fc.string(), fc.string(), fc.nat())
      .map(([body, key, value, cut]) => {
        const params = new URLSearchParams(body);
        params.set(key, value);
        const text = params.toString();
        return text.slice(0, cut % (text.length + 1));
      });
    fc.assert(
      fc.property(twilioBody, CONTEXTS, (body, context) => {
        expectWellFormed(decodeText(body, context));
      }),
      RUNS,
    );
  });

  it("gives the same answer every time it decodes the same bytes", () => {
    fc.assert(
      fc.property(mutatedFixture, (value) => {
        const raw = JSON.stringify(value) ?? "";
        expect(decodeRecord(raw, { receivedAt: "2026-11-24T09:30:00.000Z" })).toEqual(
          decodeRecord(raw, { receivedAt: "2026-11-24T09:30:00.000Z" }),
        );
      }),
      RUNS,
    );
  });
});

describe("the fast paths agree with the slow ones", () => {
  const canonicalLike = fc.record(
    {
      eventId: fc.oneof(fc.string(), fc.constant("evt-1")),
      schemaVersion: fc.constantFrom(1, 2, "1"),
      kind: fc.constantFrom("queued", "sent", "delivered", "failed", "opted_out", "received", "lost"),
      occurredAt: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom(
          "2026-02-29T00:00:00Z",
          "2024-02-29T23:59:59.5Z",
          "2026-04-31T00:00:00Z",
          "2026-11-24",
        ),
        fc.string(),
      ),
      provider: fc.constantFrom("aws-eum", "twilio", "local", "carrier-pigeon"),
      phoneNumber: fc.oneof(fc.constantFrom("+14255550123", "4255550123", "+0123"), fc.string()),
      parts: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double()),
      priceUsd: fc.oneof(fc.double(), fc.constant(0.00581)),
      countryCode: fc.oneof(fc.constantFrom("US", "USA"), fc.string()),
      messageType: fc.constantFrom("promotional", "transactional", "PROMOTIONAL"),
      body: fc.oneof(fc.string(), fc.integer()),
    },
    { requiredKeys: [] },
  );

  it("accepts a canonical event exactly when the zod schema does", () => {
    fc.assert(
      fc.property(canonicalLike, (candidate) => {
        const result = decodeValue(candidate, {});
        if ("schemaVersion" in candidate && "eventId" in candidate) {
          expect(result.ok).toBe(SmsEventSchema.safeParse(candidate).success);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("formats epoch milliseconds exactly as Date#toISOString does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(formatIso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });
});
