import { describe, expect, it } from "vitest";
import { verifyChain } from "../../../core/processing/consent";
import { acceptReview } from "../../../core/processing/opt-out-review";
import { processReplies, type ResponsesSettings } from "../../../core/processing/responses";
import { createMemoryPorts } from "../../../providers/local/runtime/memory";
import { reply, smsEvent } from "./events";

const settings: ResponsesSettings = {
  helpText: "Acme alerts: reply STOP to opt out.",
  stopConfirmationText: "You are unsubscribed. Reply START to resubscribe.",
  patterns: [],
};
const phone = "+14255550123";

describe("processReplies keeps consent evidence", () => {
  it("appends an opt-out for the STOP that opted the number out and an opt-in for the START that undid it", async () => {
    const ports = createMemoryPorts();
    const stop = reply("unsubscribe me", { phoneNumber: phone, occurredAt: "2026-11-24T10:00:00.000Z" });
    const start = reply("Start", { phoneNumber: phone, occurredAt: "2026-11-24T11:00:00.000Z" });
    await processReplies([stop, start], ports, settings);

    const entries = await ports.consentLog.entriesFor(phone);
    expect(entries).toMatchObject([
      {
        sequence: 1,
        action: "opt_out",
        source: "reply_keyword",
        wording: "UNSUBSCRIBE",
        at: stop.occurredAt,
        eventId: stop.eventId,
      },
      {
        sequence: 2,
        action: "opt_in",
        source: "reply_keyword",
        wording: "START",
        at: start.occurredAt,
        eventId: start.eventId,
      },
    ]);
    expect(verifyChain(entries).ok).toBe(true);
  });

  it("adds nothing for a replayed STOP, a second STOP, or a START from a number that was not opted out", async () => {
    const ports = createMemoryPorts();
    const stop = reply("STOP", { phoneNumber: phone });
    await processReplies([reply("START", { phoneNumber: phone }), stop], ports, settings);
    await processReplies([stop, reply("stop", { phoneNumber: phone })], ports, settings);
    expect((await ports.consentLog.entriesFor(phone)).map((e) => [e.action, e.eventId])).toEqual([
      ["opt_out", stop.eventId],
    ]);
  });

  it("records the evidence again when a retry follows a crash after the opt-out but before its entry", async () => {
    const ports = createMemoryPorts();
    const stop = reply("STOP", { phoneNumber: phone });
    const append = ports.consentLog.append.bind(ports.consentLog);
    ports.consentLog.append = async () => {
      throw new Error("crashed");
    };
    await expect(processReplies([stop], ports, settings)).rejects.toThrow("crashed");
    expect(await ports.optOuts.isOptedOut(phone)).toBe(true);
    ports.consentLog.append = append;
    await processReplies([stop], ports, settings);
    expect(await ports.consentLog.entriesFor(phone)).toMatchObject([
      { action: "opt_out", eventId: stop.eventId },
    ]);
  });

  it("appends a carrier opt-out with the carrier's keyword", async () => {
    const ports = createMemoryPorts();
    const event = smsEvent({ kind: "opted_out", phoneNumber: phone, keyword: "ARRET" });
    await processReplies([event], ports, settings);
    expect(await ports.consentLog.entriesFor(phone)).toMatchObject([
      { action: "opt_out", source: "carrier_opt_out", wording: "ARRET", eventId: event.eventId },
    ]);
  });

  it("names the intent rule for a revocation without a carrier keyword", async () => {
    const ports = createMemoryPorts();
    const event = reply("take me off", { phoneNumber: phone });
    await processReplies([event], ports, settings);
    expect(await ports.consentLog.entriesFor(phone)).toMatchObject([
      {
        action: "opt_out",
        source: "reply_intent",
        wording: "opt-out intent phrase.en.take-me-off (opt_out)",
        eventId: event.eventId,
      },
    ]);
  });

  it("appends the opt-out of an accepted review once, dated from the reply, and nothing while it is pending", async () => {
    const ports = createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
    const doubtful = reply("who is this", { phoneNumber: phone, occurredAt: "2026-11-24T09:00:00.000Z" });
    await processReplies([doubtful], ports, settings);
    expect(await ports.consentLog.entriesFor(phone)).toEqual([]);
    await acceptReview(doubtful.eventId, ports, settings);
    await acceptReview(doubtful.eventId, ports, settings);
    expect(await ports.consentLog.entriesFor(phone)).toMatchObject([
      {
        sequence: 1,
        action: "opt_out",
        source: "review_accept",
        wording: "reviewed reply, rule phrase.en.wrong-number",
        at: doubtful.occurredAt,
        eventId: doubtful.eventId,
      },
    ]);
  });

  it("still opts numbers out and in where no consent log is wired", async () => {
    const { consentLog: _unused, ...ports } = createMemoryPorts();
    await processReplies([reply("STOP", { phoneNumber: phone })], ports, settings);
    expect(await ports.optOuts.isOptedOut(phone)).toBe(true);
    await processReplies([reply("START", { phoneNumber: phone })], ports, settings);
    expect(await ports.optOuts.isOptedOut(phone)).toBe(false);
  });
});
