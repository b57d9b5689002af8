import { describe, expect, it } from "vitest";
import { decodeInput } from "../../../cli/commands/decode";
import {
  decodeRecord,
  encodeEvent,
  encodeReplayedEvent,
  eventToJson,
  type SmsEvent,
} from "../../../core/events";
import { fixtureJson } from "./fixtures";

const canonical = fixtureJson("canonical-sent.json") as SmsEvent;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("records replayed from the archive", () => {
  it("decode to the same event, marked as replayed", () => {
    expect(decodeRecord(encodeReplayedEvent(canonical))).toEqual({
      ok: true,
      events: [canonical],
      replayed: true,
    });
  });

  it("carry the mark outside the event, so the event and its archive columns are unchanged", () => {
    const record = JSON.parse(text(encodeReplayedEvent(canonical)));
    expect(record).toEqual({ replayOf: "archive", event: JSON.parse(eventToJson(canonical)) });
    expect(decodeRecord(encodeEvent(canonical))).toEqual({ ok: true, events: [canonical] });
  });

  it.each([
    ["an unknown source", { replayOf: "stream", event: canonical }, /replayOf must be "archive"/],
    ["a missing event", { replayOf: "archive" }, /event must be one canonical event/],
    ["a native payload inside", { replayOf: "archive", event: { foo: 1 } }, /event must be one canonical/],
    ["extra keys", { replayOf: "archive", event: canonical, note: "x" }, /unexpected keys note/],
    [
      "an invalid event",
      { replayOf: "archive", event: { ...canonical, kind: "teleported" } },
      /replayed record: canonical event does not match the schema: kind/,
    ],
  ])("with %s do not decode, with a reason", (_name, record, reason) => {
    const result = decodeRecord(JSON.stringify(record));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toMatch(reason);
  });

  it("must be a whole record: inside an array the mark would cover only part of it", () => {
    const result = decodeRecord(`[${text(encodeReplayedEvent(canonical))}]`);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.reason).toMatch(/item 0: a replayed record must be a whole stream record/);
  });

  it("are decoded by smsctl decode into the canonical event", () => {
    const output = decodeInput(text(encodeReplayedEvent(canonical)), undefined);
    expect(output).toEqual({ events: [eventToJson(canonical)], problems: [], datedByFallback: [] });
  });
});
