import { describe, expect, it } from "vitest";
import { partitionKeyOf } from "../../../core/events/decode";
import type { SmsEvent } from "../../../core/events/schema";
import type { MessageLog, SentMessage } from "../../../core/ports";
import { computeMetrics, METRIC, runAnalytics, UNATTRIBUTED } from "../../../core/processing/analytics";
import { archiveEvents, readArchiveObject } from "../../../core/processing/archive";
import {
  attributeBatch,
  completeFromMessageLog,
  needsAttribution,
} from "../../../core/processing/attribution";
import { UnprocessableRecord } from "../../../core/processing/batch";
import { processReplies } from "../../../core/processing/responses";
import { createMemoryPorts, FakeClock, MemoryMessageLog } from "../../../providers/local/runtime/memory";
import { smsEvent } from "./events";

const SENT: SentMessage = {
  messageId: "m-1",
  phoneNumber: "+14255550101",
  sentAt: "2026-11-24T10:00:00.000Z",
  campaignId: "spring",
  journeyId: "welcome",
  subscriberId: "sub-1",
};

/** A receipt as End User Messaging's EventBridge samples carry it: a message id, no number, no ids. */
const phoneless = (kind: SmsEvent["kind"], messageId = "m-1"): SmsEvent => {
  const { phoneNumber: _phone, ...event } = smsEvent({ kind, messageId, provider: "aws-eum" });
  return event;
};

const queued = (message: SentMessage): SmsEvent =>
  smsEvent({
    kind: "queued",
    messageId: message.messageId,
    phoneNumber: message.phoneNumber,
    campaignId: message.campaignId,
    journeyId: message.journeyId,
    subscriberId: message.subscriberId,
    occurredAt: message.sentAt,
  });

async function logWith(...messages: SentMessage[]): Promise<MemoryMessageLog> {
  const log = new MemoryMessageLog();
  for (const message of messages) await log.record(message);
  return log;
}

/** Counts the reads, to show one lookup per message id. */
function countingLog(inner: MessageLog): MessageLog & { reads: number } {
  const log = {
    reads: 0,
    record: (message: SentMessage) => inner.record(message),
    get: (messageId: string) => {
      log.reads++;
      return inner.get(messageId);
    },
    lastTo: (phone: string) => inner.lastTo(phone),
    sentBetween: (...args: Parameters<MessageLog["sentBetween"]>) => inner.sentBetween(...args),
  };
  return log;
}

describe("completeFromMessageLog", () => {
  it("fills the number, subscriber, campaign and journey of a phone-less receipt from its message", () => {
    const receipt = phoneless("delivered");
    expect(completeFromMessageLog(receipt, SENT)).toEqual({
      ...receipt,
      phoneNumber: "+14255550101",
      subscriberId: "sub-1",
      campaignId: "spring",
      journeyId: "welcome",
    });
  });

  it("keeps what the receipt carries itself", () => {
    const receipt = { ...phoneless("failed"), campaignId: "from-context" };
    expect(completeFromMessageLog(receipt, SENT)).toMatchObject({
      campaignId: "from-context",
      phoneNumber: "+14255550101",
    });
  });

  it("leaves the receipt unchanged without its message, or with another message", () => {
    const receipt = phoneless("delivered");
    expect(completeFromMessageLog(receipt, undefined)).toBe(receipt);
    expect(completeFromMessageLog(receipt, { ...SENT, messageId: "m-2" })).toBe(receipt);
  });

  it("is needed only by receipts with a message id that lack the number or all of our ids", () => {
    expect(needsAttribution(phoneless("delivered"))).toBe(true);
    expect(needsAttribution(smsEvent({ kind: "delivered", messageId: "m-1" }))).toBe(true);
    expect(needsAttribution(smsEvent({ kind: "delivered", messageId: "m-1", campaignId: "c" }))).toBe(false);
    expect(needsAttribution(smsEvent({ kind: "delivered" }))).toBe(false);
    expect(needsAttribution(smsEvent({ kind: "received", messageId: "in-1" }))).toBe(false);
    expect(needsAttribution(smsEvent({ kind: "queued", messageId: "m-1" }))).toBe(false);
  });
});

describe("attributeBatch", () => {
  it("resolves from the log, reading each message id once", async () => {
    const log = countingLog(await logWith(SENT));
    const batch = [phoneless("sent"), phoneless("delivered")];
    const { events, unattributed } = await attributeBatch(batch, log);
    expect(events.map((e) => [e.kind, e.phoneNumber, e.campaignId])).toEqual([
      ["sent", "+14255550101", "spring"],
      ["delivered", "+14255550101", "spring"],
    ]);
    expect(unattributed.size).toBe(0);
    expect(log.reads).toBe(1);
  });

  it("resolves a receipt ahead of its queued event in the same batch, without reading the log", async () => {
    const log = countingLog(new MemoryMessageLog());
    const receipt = phoneless("delivered");
    const { events, unattributed } = await attributeBatch([receipt, queued(SENT)], log);
    expect(events[0]).toMatchObject({ eventId: receipt.eventId, phoneNumber: SENT.phoneNumber });
    expect(unattributed.size).toBe(0);
    expect(log.reads).toBe(0);
  });

  it("looks again while it waits, resolving a receipt whose queued event is logged meanwhile", async () => {
    const inner = new MemoryMessageLog();
    const log = countingLog(inner);
    const clock = new FakeClock(new Date("2026-11-24T10:00:00.000Z"));
    // The responses consumer logs the queued event 600 ms after the receipt arrives.
    const sleep = clock.sleep.bind(clock);
    clock.sleep = async (ms) => {
      await sleep(ms);
      if (clock.now().getTime() >= Date.parse("2026-11-24T10:00:00.600Z")) await inner.record(SENT);
    };
    const { events, unattributed } = await attributeBatch([phoneless("delivered")], log, {
      clock,
      retryDelaysMs: [250, 500, 1000],
    });
    expect(events[0]).toMatchObject({ phoneNumber: SENT.phoneNumber, campaignId: "spring" });
    expect(unattributed.size).toBe(0);
    expect(log.reads).toBe(3);
    expect(clock.now().toISOString()).toBe("2026-11-24T10:00:00.750Z");
  });

  it("gives up after its delays and reports the receipt unattributed", async () => {
    const clock = new FakeClock(new Date("2026-11-24T10:00:00.000Z"));
    const receipt = phoneless("failed", "m-never");
    const { unattributed } = await attributeBatch([receipt], new MemoryMessageLog(), {
      clock,
      retryDelaysMs: [250, 500],
    });
    expect([...unattributed]).toEqual([receipt.eventId]);
    expect(clock.now().toISOString()).toBe("2026-11-24T10:00:00.750Z");
  });

  it("reports a receipt whose message nobody knows, and keeps it in the batch", async () => {
    const receipt = phoneless("delivered", "m-unknown");
    const { events, unattributed } = await attributeBatch([receipt], new MemoryMessageLog());
    expect(events).toEqual([receipt]);
    expect([...unattributed]).toEqual([receipt.eventId]);
  });
});

describe("consumers of phone-less receipts", () => {
  it("analytics counts a resolved receipt under its campaign", async () => {
    const ports = createMemoryPorts();
    await ports.messages.record(SENT);
    const datums = await runAnalytics([phoneless("delivered")], ports);
    expect(datums.find((d) => d.name === METRIC.delivered)?.dimensions).toEqual({ campaignId: "spring" });
    expect(datums.some((d) => d.name === METRIC.unattributed)).toBe(false);
  });

  it("analytics counts an unknown message's receipts under 'unattributed', once per message", async () => {
    const ports = createMemoryPorts();
    const datums = await runAnalytics(
      [phoneless("sent", "m-x"), phoneless("delivered", "m-x"), phoneless("failed", "m-y")],
      ports,
    );
    const value = (name: string) =>
      datums.find((d) => d.name === name && d.dimensions.campaignId === UNATTRIBUTED)?.value;
    expect(value(METRIC.unattributed)).toBe(2);
    expect(value(METRIC.delivered)).toBe(1);
    expect(value(METRIC.failed)).toBe(1);
    expect(value(METRIC.deliveryRate)).toBe(50);
  });

  it("analytics without the unattributed set counts a campaign-less receipt under 'none'", () => {
    const datums = computeMetrics([phoneless("delivered")]);
    expect(datums.map((d) => [d.name, d.dimensions.campaignId])).toContainEqual([METRIC.delivered, "none"]);
  });

  it("the archive stores resolved receipts with their number and unknown ones without", async () => {
    const ports = createMemoryPorts();
    await ports.messages.record(SENT);
    const [object] = await archiveEvents(
      [phoneless("delivered"), phoneless("delivered", "m-unknown")],
      ports,
      "batch-1",
    );
    const rows = await readArchiveObject(object.body);
    const byMessage = Object.fromEntries(rows.map((row) => [row.messageId, row]));
    expect(byMessage["m-1"]).toMatchObject({ phoneNumber: SENT.phoneNumber, campaignId: "spring" });
    expect(byMessage["m-unknown"]).not.toHaveProperty("phoneNumber");
    expect(rows).toHaveLength(2);
  });

  const settings = { helpText: "help", stopConfirmationText: "bye", patterns: [] };

  it("responses does not log a phone-less sent receipt (its queued event logs the message)", async () => {
    const ports = createMemoryPorts();
    const outcome = await processReplies([phoneless("sent", "m-9")], ports, settings);
    expect(outcome.messagesLogged).toBe(0);
    expect(await ports.messages.get("m-9")).toBeUndefined();
  });

  it("responses applies a phone-less opt-out to the number the message went to", async () => {
    const ports = createMemoryPorts();
    await ports.messages.record(SENT);
    const outcome = await processReplies([phoneless("opted_out")], ports, settings);
    expect(outcome.optedOut).toBe(1);
    expect(await ports.optOuts.isOptedOut(SENT.phoneNumber)).toBe(true);
  });

  it("responses waits for the message of a phone-less opt-out, then declares the record unprocessable", async () => {
    // Found by the fuzz: it used to fail the record forever, so the stream gave up on it and its
    // bytes were lost; now runBatch dead-letters it with its bytes once the wait is over.
    const ports = createMemoryPorts();
    const attempt = processReplies([phoneless("opted_out", "m-later")], ports, settings);
    await expect(attempt).rejects.toThrow(UnprocessableRecord);
    await expect(attempt).rejects.toThrow(/message m-later is not in the message log after waiting/);
    expect(ports.clock.sleeps.length).toBeGreaterThan(0);
  });

  it("responses applies a phone-less opt-out whose message is logged while it waits", async () => {
    const ports = createMemoryPorts();
    const clock = ports.clock;
    const sleep = clock.sleep.bind(clock);
    clock.sleep = async (ms) => {
      await sleep(ms);
      await ports.messages.record({ ...SENT, messageId: "m-late" });
    };
    const outcome = await processReplies([phoneless("opted_out", "m-late")], ports, settings);
    expect(outcome.optedOut).toBe(1);
    expect(await ports.optOuts.isOptedOut(SENT.phoneNumber)).toBe(true);
  });
});

describe("partition keys", () => {
  it("keys a phone-less receipt by its message id, everything else by subscriber or number", () => {
    expect(partitionKeyOf(phoneless("delivered", "m-42"))).toBe("m-42");
    expect(partitionKeyOf(queued(SENT))).toBe("sub-1");
    expect(partitionKeyOf(smsEvent({ kind: "delivered", phoneNumber: "+14255550199" }))).toBe("+14255550199");
  });
});
