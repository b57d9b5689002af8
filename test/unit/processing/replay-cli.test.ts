import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DirectoryArchive, runReplay } from "../../../cli/commands/replay";
import { archiveEvents } from "../../../core/processing/archive";
import { MemoryEventPublisher, MemoryMessageLog } from "../../../providers/local/runtime/memory";
import { smsEvent } from "./events";

async function localArchive() {
  const archive = new DirectoryArchive(mkdtempSync(join(tmpdir(), "sms-replay-")));
  const events = [
    smsEvent({ kind: "sent", campaignId: "a", occurredAt: "2026-11-24T08:00:00.000Z" }),
    smsEvent({ kind: "delivered", campaignId: "a", occurredAt: "2026-11-24T08:00:05.000Z" }),
    smsEvent({ kind: "sent", campaignId: "b", occurredAt: "2026-11-25T08:00:00.000Z" }),
  ];
  await archiveEvents(events, { archive, messages: new MemoryMessageLog() }, "batch");
  return { archive, events };
}

describe("smsctl replay", () => {
  it("prints the archived events of one day as canonical JSON Lines when no stream is given", async () => {
    const { archive, events } = await localArchive();
    const lines: string[] = [];
    const result = await runReplay({ from: "2026-11-24" }, { archive, write: (line) => lines.push(line) });
    expect(lines.map((line) => JSON.parse(line))).toEqual([events[0], events[1]]);
    expect(result).toEqual({ summary: { objects: 1, events: 2 }, ok: true });
  });

  it("publishes a date range into the stream and reports the counts", async () => {
    const { archive } = await localArchive();
    const publisher = new MemoryEventPublisher();
    const result = await runReplay(
      { from: "2026-11-24", to: "2026-11-25", campaign: "b" },
      { archive, publisher, write: () => {} },
    );
    expect(result).toEqual({ summary: { objects: 2, events: 1, published: 1, failed: 0 }, ok: true });
    expect(publisher.records).toHaveLength(1);
  });

  it("prints the events the stream refused and reports failure", async () => {
    const { archive, events } = await localArchive();
    const publisher = new MemoryEventPublisher();
    publisher.failNext([0]);
    const lines: string[] = [];
    const result = await runReplay(
      { from: "2026-11-24" },
      { archive, publisher, write: (line) => lines.push(line) },
    );
    expect(result.ok).toBe(false);
    expect(lines.map((line) => JSON.parse(line).eventId)).toEqual([events[0].eventId]);
  });
});
