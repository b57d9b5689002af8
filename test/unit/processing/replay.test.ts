import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../../core/events/decode";
import type { SmsEvent } from "../../../core/events/schema";
import { archiveEvents } from "../../../core/processing/archive";
import { datesBetween, replayArchive } from "../../../core/processing/replay";
import { createMemoryPorts } from "../../../providers/local/runtime/memory";
import { smsEvent } from "./events";

const decodeAll = (records: { data: Uint8Array }[]): SmsEvent[] =>
  records.flatMap(({ data }) => {
    const result = decodeRecord(data);
    if (!result.ok) throw new Error(result.error.reason);
    return result.events;
  });

async function archived() {
  const ports = createMemoryPorts();
  const events = [
    smsEvent({
      kind: "delivered",
      campaignId: "a",
      occurredAt: "2026-11-25T08:00:00.000Z",
      subscriberId: "s1",
    }),
    smsEvent({ kind: "sent", campaignId: "a", occurredAt: "2026-11-24T08:00:00.000Z", subscriberId: "s1" }),
    smsEvent({ kind: "sent", campaignId: "b", occurredAt: "2026-11-24T09:00:00.000Z" }),
    smsEvent({ kind: "sent", campaignId: "a", occurredAt: "2026-11-27T09:00:00.000Z" }),
  ];
  await archiveEvents(events.slice(0, 2), ports, "batch-1");
  await archiveEvents(events.slice(2), ports, "batch-2");
  return { ports, events };
}

describe("replayArchive", () => {
  it("publishes the archived events of a date range oldest first, keyed like the original stream", async () => {
    const { ports, events } = await archived();
    const outcome = await replayArchive(ports, { from: "2026-11-24", to: "2026-11-25" });
    expect(outcome).toEqual({ objects: 3, events: 3, published: 3, failed: [] });
    expect(decodeAll(ports.publisher.records)).toEqual([events[1], events[2], events[0]]);
    expect(ports.publisher.records.map((r) => r.partitionKey)).toEqual(["s1", events[2].phoneNumber, "s1"]);
  });

  it("replays only the requested campaign", async () => {
    const { ports, events } = await archived();
    await replayArchive(ports, { from: "2026-11-20", to: "2026-11-30", campaignId: "a" });
    expect(decodeAll(ports.publisher.records).map((e) => e.eventId)).toEqual(
      [events[1], events[0], events[3]].map((e) => e.eventId),
    );
  });

  it("returns the events the stream refused instead of dropping them", async () => {
    const { ports, events } = await archived();
    ports.publisher.failNext([1]);
    const outcome = await replayArchive(ports, { from: "2026-11-24", to: "2026-11-24" });
    expect(outcome.published).toBe(1);
    expect(outcome.failed).toEqual([events[2]]);
  });
});

describe("datesBetween", () => {
  it("lists every UTC date of an inclusive range, across a month end", () => {
    expect(datesBetween("2026-11-29", "2026-12-02")).toEqual([
      "2026-11-29",
      "2026-11-30",
      "2026-12-01",
      "2026-12-02",
    ]);
  });

  it("is empty when the range is reversed and rejects malformed dates", () => {
    expect(datesBetween("2026-12-02", "2026-11-29")).toEqual([]);
    expect(() => datesBetween("2026-13-01", "2026-12-01")).toThrow(RangeError);
    expect(() => datesBetween("yesterday", "2026-12-01")).toThrow(RangeError);
    expect(() => datesBetween("2026-02-30", "2026-03-01")).toThrow(RangeError);
  });
});
