import { describe, expect, it } from "vitest";
import { encodeEvent, encodeReplayedEvent } from "../../../core/events/decode";
import type { SmsEvent } from "../../../core/events/schema";
import { type BatchRecord, runBatch, UnprocessableRecord } from "../../../core/processing/batch";
import { createMemoryPorts } from "../../../providers/local/runtime/memory";
import { smsEvent } from "./events";

const good = (id: string, overrides: Partial<SmsEvent> = {}): BatchRecord => ({
  id,
  raw: encodeEvent(smsEvent({ kind: "delivered", eventId: `evt-${id}`, ...overrides })),
});
const poison = (id: string): BatchRecord => ({ id, raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x00]) });

function setup() {
  const ports = createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
  return { ports, deps: { deadLetter: ports.deadLetter, clock: ports.clock, source: "responses:shard-0" } };
}

describe("runBatch with a per-record consumer", () => {
  it("fails exactly the record whose consumer threw and dead-letters the poison record", async () => {
    const { deps } = setup();
    const records = [good("1"), poison("2"), good("3"), good("4")];
    const seen: string[] = [];
    const outcome = await runBatch(
      records,
      {
        perRecord: async (events, recordId) => {
          seen.push(recordId);
          if (events[0].eventId === "evt-3") throw new Error("store unavailable");
        },
      },
      deps,
    );
    expect(outcome).toEqual({ failedIds: ["3"], deadLettered: 1, events: 3, replaySkipped: 0 });
    expect(seen).toEqual(["1", "3", "4"]);
  });

  it("hands the dead letter the raw bytes, the reason and the record's position", async () => {
    const { ports, deps } = setup();
    await runBatch([poison("49590-7")], { perRecord: async () => {} }, deps);
    expect(ports.deadLetter.entries).toHaveLength(1);
    const [entry] = ports.deadLetter.entries;
    expect([...entry.raw]).toEqual([0x7b, 0x22, 0xff, 0xfe, 0x00]);
    expect(entry.reason).toMatch(/^invalid_payload: .*UTF-8/);
    expect(entry.source).toBe("responses:shard-0/49590-7");
    expect(entry.receivedAt).toBe("2026-11-24T10:00:00.000Z");
  });

  it("dead-letters a record its consumer declares unprocessable, with its bytes and why, rather than failing it", async () => {
    // Found by the fuzz: a record that fails forever is retried until the stream gives up, and
    // Lambda's on-failure destination keeps only its position, so its bytes were lost.
    const { ports, deps } = setup();
    const records = [good("1"), good("2")];
    const outcome = await runBatch(
      records,
      {
        perRecord: async (events) => {
          if (events[0].eventId === "evt-1") throw new UnprocessableRecord("message m-1 is unknown");
        },
      },
      deps,
    );
    expect(outcome).toEqual({ failedIds: [], deadLettered: 1, events: 2, replaySkipped: 0 });
    expect(ports.deadLetter.entries).toHaveLength(1);
    const [entry] = ports.deadLetter.entries;
    expect(Buffer.from(entry.raw).equals(Buffer.from(records[0].raw))).toBe(true);
    expect(entry.reason).toBe("unprocessable: message m-1 is unknown");
    expect(entry.source).toBe("responses:shard-0/1");
  });

  it("fails an unprocessable record whose dead-lettering failed, so it is not lost", async () => {
    const { deps } = setup();
    const deadLetter = { send: async () => Promise.reject(new Error("queue unavailable")) };
    const outcome = await runBatch(
      [good("1")],
      {
        perRecord: async () => {
          throw new UnprocessableRecord("message m-1 is unknown");
        },
      },
      { ...deps, deadLetter },
    );
    expect(outcome).toEqual({ failedIds: ["1"], deadLettered: 0, events: 1, replaySkipped: 0 });
  });

  it("fails a poison record whose dead-lettering failed, so it is not lost", async () => {
    const { deps } = setup();
    const errors: string[][] = [];
    const outcome = await runBatch(
      [poison("1"), good("2")],
      { perRecord: async () => {} },
      {
        ...deps,
        deadLetter: { send: async () => Promise.reject(new Error("queue down")) },
        onError: (ids) => errors.push(ids),
      },
    );
    expect(outcome).toEqual({ failedIds: ["1"], deadLettered: 0, events: 1, replaySkipped: 0 });
    expect(errors).toEqual([["1"]]);
  });

  it("dates payloads without a time of their own by the record's arrival time", async () => {
    const { deps } = setup();
    const contexts: (string | undefined)[] = [];
    await runBatch(
      [{ ...good("1"), receivedAt: "2026-11-24T09:59:58.000Z" }, good("2")],
      { perRecord: async () => {} },
      {
        ...deps,
        decode: (_, context) => {
          contexts.push(context.receivedAt);
          return { ok: true, events: [] };
        },
      },
    );
    expect(contexts).toEqual(["2026-11-24T09:59:58.000Z", "2026-11-24T10:00:00.000Z"]);
  });
});

describe("runBatch with a per-record consumer that takes runs of records together", () => {
  const queued = (id: string) => good(id, { kind: "queued" });
  const runs = (calls: string[], failOn?: string) => ({
    accepts: (events: SmsEvent[]) => events.every((e) => e.kind === "queued"),
    handle: async (events: SmsEvent[]) => {
      calls.push(`run:${events.map((e) => e.eventId).join(",")}`);
      if (failOn && events.some((e) => e.eventId === failOn)) throw new Error("store unavailable");
    },
  });

  it("hands each run of accepted records over in one call, in order, and the others one by one", async () => {
    const { deps } = setup();
    const calls: string[] = [];
    const records = [queued("1"), queued("2"), good("3"), queued("4"), poison("5"), queued("6"), queued("7")];
    const outcome = await runBatch(
      records,
      { perRecord: async (events) => void calls.push(events[0].eventId), runs: runs(calls) },
      deps,
    );
    // A lone accepted record goes through perRecord; the poison record is dead-lettered before.
    expect(calls).toEqual(["run:evt-1,evt-2", "evt-3", "run:evt-4,evt-6,evt-7"]);
    expect(outcome).toEqual({ failedIds: [], deadLettered: 1, events: 6, replaySkipped: 0 });
  });

  it("when a run throws, hands its records to perRecord so only a failing one fails", async () => {
    const { deps } = setup();
    const calls: string[] = [];
    const outcome = await runBatch(
      [queued("1"), queued("2"), queued("3")],
      {
        perRecord: async (events) => {
          calls.push(events[0].eventId);
          if (events[0].eventId === "evt-2") throw new Error("store unavailable");
        },
        runs: runs(calls, "evt-2"),
      },
      deps,
    );
    expect(calls).toEqual(["run:evt-1,evt-2,evt-3", "evt-1", "evt-2", "evt-3"]);
    expect(outcome.failedIds).toEqual(["2"]);
  });
});

describe("runBatch with a whole-batch consumer", () => {
  it("passes every decoded event in one call with the ids of the decodable records", async () => {
    const { deps } = setup();
    const calls: { events: string[]; ids: string[] }[] = [];
    const outcome = await runBatch(
      [good("1"), poison("2"), good("3")],
      {
        wholeBatch: async (events, ids) => {
          calls.push({ events: events.map((e) => e.eventId), ids });
        },
      },
      deps,
    );
    expect(calls).toEqual([{ events: ["evt-1", "evt-3"], ids: ["1", "3"] }]);
    expect(outcome).toEqual({ failedIds: [], deadLettered: 1, events: 2, replaySkipped: 0 });
  });

  it("fails every decodable record when the batch write throws, but not the dead-lettered one", async () => {
    const { ports, deps } = setup();
    const outcome = await runBatch(
      [good("1"), poison("2"), good("3")],
      { wholeBatch: async () => Promise.reject(new Error("bucket unavailable")) },
      deps,
    );
    expect(outcome).toEqual({ failedIds: ["1", "3"], deadLettered: 1, events: 2, replaySkipped: 0 });
    expect(ports.deadLetter.entries).toHaveLength(1);
  });

  it("does not call the consumer when nothing decoded", async () => {
    const { deps } = setup();
    let calls = 0;
    const outcome = await runBatch(
      [poison("1")],
      {
        wholeBatch: async () => {
          calls++;
        },
      },
      deps,
    );
    expect(calls).toBe(0);
    expect(outcome).toEqual({ failedIds: [], deadLettered: 1, events: 0, replaySkipped: 0 });
  });
});

describe("runBatch and records replayed from the archive", () => {
  const replayed = (id: string): BatchRecord => ({
    id,
    raw: encodeReplayedEvent(smsEvent({ kind: "delivered", eventId: `evt-${id}` })),
  });

  it("a consumer that skips them gets only the live records; the replayed ones count as handled", async () => {
    const { ports, deps } = setup();
    const calls: { events: string[]; ids: string[] }[] = [];
    const outcome = await runBatch(
      [good("1"), replayed("2"), good("3"), replayed("4")],
      {
        skipReplayed: true,
        wholeBatch: async (events, ids) => {
          calls.push({ events: events.map((e) => e.eventId), ids });
        },
      },
      deps,
    );
    expect(calls).toEqual([{ events: ["evt-1", "evt-3"], ids: ["1", "3"] }]);
    expect(outcome).toEqual({ failedIds: [], deadLettered: 0, events: 4, replaySkipped: 2 });
    expect(ports.deadLetter.entries).toEqual([]);
  });

  it("a consumer that does not skip them consumes them like any record", async () => {
    const { deps } = setup();
    const seen: string[] = [];
    const outcome = await runBatch(
      [replayed("1"), good("2")],
      { perRecord: async (_events, recordId) => void seen.push(recordId) },
      deps,
    );
    expect(seen).toEqual(["1", "2"]);
    expect(outcome).toEqual({ failedIds: [], deadLettered: 0, events: 2, replaySkipped: 0 });
  });
});
