/** A record that does not decode is kept whole in the dead letter; its reason names neither who nor what was said. */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { decodeRecord } from "../../../core/events";
import { runBatch } from "../../../core/processing/batch";
import { FakeClock } from "../../../providers/local/runtime/memory/clock";
import { MemoryDeadLetter } from "../../../providers/local/runtime/memory/dead-letter";
import { fixtureJson } from "./fixtures";

const reasonOf = (raw: string) => {
  const result = decodeRecord(raw);
  if (result.ok) throw new Error("expected a decode error");
  return result.error.reason;
};

const withDestination = (phone: string) => {
  const payload = fixtureJson("eum-text-successful.json") as Record<string, unknown>;
  payload["destinationPhoneNumber"] = phone;
  return JSON.stringify(payload);
};

describe("decode reasons quote no number and no body", () => {
  it.each([
    ["a national number", "(425) 555-0156", "***0156"],
    ["a number written with a trunk prefix", "0425 555 0156", "***0156"],
  ])("masks %s the payload gave as the recipient", (_name, phone, masked) => {
    const reason = reasonOf(withDestination(phone));
    expect(reason).toMatch(/is not a phone number in international format/);
    expect(reason).toContain(masked);
    expect(reason).not.toContain(phone);
  });

  it.each([
    ["a short text in brackets, which V8 quotes whole", "[Call me]", /Call me/],
    ["a longer one, which V8 quotes the start of", "[Call me on +14255550156 please]", /Call me|4255550156/],
    [
      "a bad token deep in an object, which V8 quotes around",
      '{"a": 1, "b": 2, "c": 3, "body": "x" Call me on +14255550156 about my appointment}',
      /Call me|4255550156|appointment/,
    ],
    ["JSON cut short", '{"body": "Hi, call me on +1 425 555 0156 about my appointment"', /call me|425 555/],
  ])("does not quote %s", (_name, raw, quoted) => {
    const reason = reasonOf(raw);
    expect(reason).toMatch(/JSON/);
    expect(reason).not.toMatch(quoted);
  });

  it("keeps the raw bytes in the dead letter while its reason says only what went wrong", async () => {
    const deadLetter = new MemoryDeadLetter();
    const raw = new TextEncoder().encode('{"body": "Hi, call me on +14255550156 tomorrow"');
    await runBatch(
      [{ id: "1", raw }],
      { perRecord: async () => {} },
      {
        deadLetter,
        clock: new FakeClock("2026-11-24T10:00:00.000Z"),
        source: "responses:shard-0",
      },
    );
    const [entry] = deadLetter.entries;
    expect(entry.raw).toEqual(raw);
    expect(entry.reason).toMatch(/^invalid_json: /);
    expect(entry.reason).not.toMatch(/4255550156|call me|tomorrow/);
  });
});

describe("audience rows with a bad number", () => {
  it("mask it in the reason and keep it as written for the dead letter", async () => {
    const csv = "subscriber_id,phone_number\nsub-1,+1 425 555 01\n";
    const entries = [];
    for await (const entry of readAudienceCsv(Readable.from([csv]))) entries.push(entry);
    expect(entries[0]).toMatchObject({
      kind: "invalid_number",
      phoneNumber: "+1 425 555 01",
      reason: "not a valid phone number (***5501, 13 characters)",
    });
  });
});
