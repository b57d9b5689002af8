import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runReplay } from "../../../cli/commands/replay";
import { archiveEvents } from "../../../core/processing/archive";
import { DirectoryArchive } from "../../../providers/local/runtime/directory-archive";
import { MemoryEventPublisher, MemoryMessageLog } from "../../../providers/local/runtime/memory";
import { reply, smsEvent } from "./events";

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
    expect(result).toEqual({ summary: { objects: 1, events: 2 }, warning: undefined });
  });

  it("publishes a date range into the stream and reports the counts", async () => {
    const { archive } = await localArchive();
    const publisher = new MemoryEventPublisher();
    const result = await runReplay(
      { from: "2026-11-24", to: "2026-11-25", campaign: "b" },
      { archive, publisher, write: () => {} },
    );
    expect(result).toEqual({
      summary: { objects: 2, events: 1, published: 1, failed: 0 },
      warning: undefined,
    });
    expect(publisher.records).toHaveLength(1);
  });

  it("warns when the stream refused events, so the exit is non-zero", async () => {
    const { archive } = await localArchive();
    const publisher = new MemoryEventPublisher();
    publisher.failNext([0]);
    const result = await runReplay({ from: "2026-11-24" }, { archive, publisher, write: () => {} });
    expect(result.summary).toMatchObject({ events: 2, published: 1, failed: 1 });
    expect(result.warning).toMatch(/the stream refused 1 of 2 events/);
  });

  it("warns when the range holds no archive object, naming where it looked", async () => {
    const { archive } = await localArchive();
    const result = await runReplay(
      { from: "2026-11-01", to: "2026-11-07", dir: "arch" },
      { archive, write: () => {} },
    );
    expect(result.summary).toEqual({ objects: 0, events: 0 });
    expect(result.warning).toMatch(
      /^no archive objects under arch\/events\/dt=\{2026-11-01\.\.2026-11-07\}\//,
    );
  });

  it("keeps a campaign's replies, linked through the message log as the responses consumer links them", async () => {
    const archive = new DirectoryArchive(mkdtempSync(join(tmpdir(), "sms-replay-")));
    const at = (minute: number) => `2026-11-24T08:${String(minute).padStart(2, "0")}:00.000Z`;
    const toAna = { phoneNumber: "+14255550101" };
    const toBo = { phoneNumber: "+14255550102" };
    const events = [
      smsEvent({ kind: "sent", campaignId: "a", messageId: "m-a1", occurredAt: at(0), ...toAna }),
      smsEvent({ kind: "sent", campaignId: "b", messageId: "m-b1", occurredAt: at(1), ...toBo }),
      smsEvent({ kind: "sent", campaignId: "b", messageId: "m-b2", occurredAt: at(2), ...toAna }),
      // Answers campaign a's message by id, though campaign b texted Ana later.
      reply("YES", { occurredAt: at(3), inReplyTo: "m-a1", ...toAna }),
      // No in-reply-to: the newest message to Bo (campaign b).
      reply("STOP", { occurredAt: at(4), ...toBo }),
      // No in-reply-to: the newest message to Ana (campaign b).
      reply("thanks", { occurredAt: at(5), ...toAna }),
    ];
    await archiveEvents(events, { archive, messages: new MemoryMessageLog() }, "batch");
    const replayed = async (campaign: string) => {
      const lines: string[] = [];
      await runReplay({ from: "2026-11-24", campaign }, { archive, write: (line) => lines.push(line) });
      return lines.map((line) => JSON.parse(line).eventId);
    };
    expect(await replayed("a")).toEqual([events[0].eventId, events[3].eventId]);
    expect(await replayed("b")).toEqual([1, 2, 4, 5].map((i) => events[i].eventId));
  });

  it("warns when no event of the asked campaign is in the range", async () => {
    const { archive } = await localArchive();
    const result = await runReplay({ from: "2026-11-24", campaign: "typo" }, { archive, write: () => {} });
    expect(result.warning).toMatch(/none of the 1 archive objects holds an event of campaign "typo"/);
  });
});
