import { describe, expect, it } from "vitest";
import type { SmsEvent } from "../../../core/events/schema";
import type { PendingReceiptStore, SentMessage } from "../../../core/ports";
import { METRIC, runAnalytics, UNATTRIBUTED } from "../../../core/processing/analytics";
import { archiveEvents, readArchiveObject } from "../../../core/processing/archive";
import { PARKED_CLAIM_MS, PARKED_RECEIPT_MAX_AGE_MS } from "../../../core/processing/parking";
import {
  createMemoryPorts,
  MemoryPendingReceiptStore,
  type MemoryPorts,
} from "../../../providers/local/runtime/memory";
import { smsEvent } from "./events";

const SENT: SentMessage = {
  messageId: "m-late",
  phoneNumber: "+14255550101",
  sentAt: "2026-11-24T10:00:00.000Z",
  campaignId: "spring",
  journeyId: "welcome",
  subscriberId: "sub-1",
};

/** A delivery receipt as End User Messaging's EventBridge samples carry it: a message id, nothing else. */
const phonelessDelivered = (messageId = SENT.messageId): SmsEvent => {
  const { phoneNumber: _phone, ...event } = smsEvent({ kind: "delivered", messageId, provider: "aws-eum" });
  return event;
};

const queuedOf = (message: SentMessage): SmsEvent =>
  smsEvent({
    kind: "queued",
    messageId: message.messageId,
    phoneNumber: message.phoneNumber,
    campaignId: message.campaignId,
    journeyId: message.journeyId,
    subscriberId: message.subscriberId,
    occurredAt: message.sentAt,
  });

const unrelated = () =>
  smsEvent({ kind: "sent", messageId: `m-other-${Math.random()}`, campaignId: "other" });

function portsWithParking(): MemoryPorts & { pendingReceipts: MemoryPendingReceiptStore } {
  return {
    ...createMemoryPorts({ now: "2026-11-24T10:01:00.000Z" }),
    pendingReceipts: new MemoryPendingReceiptStore(),
  };
}

const delivered = (ports: MemoryPorts, campaignId: string) =>
  ports.metrics.total(METRIC.delivered, { campaignId });

async function archivedRows(ports: MemoryPorts): Promise<SmsEvent[]> {
  const rows: SmsEvent[] = [];
  for (const key of await ports.archive.list("events/")) {
    const body = await ports.archive.get(key);
    if (body) rows.push(...(await readArchiveObject(body)));
  }
  return rows;
}

describe("analytics with parked receipts", () => {
  it("parks a receipt ahead of its message by more than the retries, then counts it once under its campaign", async () => {
    const ports = portsWithParking();
    const receipt = phonelessDelivered();

    await runAnalytics([receipt], ports);
    expect(delivered(ports, UNATTRIBUTED)).toBe(0);
    expect(await ports.pendingReceipts.list("analytics", 10)).toHaveLength(1);

    await ports.messages.record(SENT);
    await runAnalytics([unrelated()], ports);
    await runAnalytics([unrelated()], ports);

    expect(delivered(ports, "spring")).toBe(1);
    expect(delivered(ports, UNATTRIBUTED)).toBe(0);
    expect(ports.metrics.total(METRIC.unattributed)).toBe(0);
    expect(await ports.pendingReceipts.list("analytics", 10)).toEqual([]);
  });

  it("resolves a parked receipt from its queued event in a later batch, before the message log has it", async () => {
    const ports = portsWithParking();
    await runAnalytics([phonelessDelivered()], ports);

    await runAnalytics([queuedOf(SENT)], ports);

    expect(delivered(ports, "spring")).toBe(1);
    expect(ports.metrics.total(METRIC.queued, { campaignId: "spring" })).toBe(1);
    expect(await ports.pendingReceipts.list("analytics", 10)).toEqual([]);
  });

  it("counts a receipt whose message never comes as unattributed once it is older than the max age", async () => {
    const ports = portsWithParking();
    await runAnalytics([phonelessDelivered("m-never")], ports);

    ports.clock.advance(PARKED_RECEIPT_MAX_AGE_MS - 60_000);
    await runAnalytics([unrelated()], ports);
    expect(delivered(ports, UNATTRIBUTED)).toBe(0);

    ports.clock.advance(60_000);
    await runAnalytics([unrelated()], ports);
    await runAnalytics([unrelated()], ports);
    expect(delivered(ports, UNATTRIBUTED)).toBe(1);
    expect(ports.metrics.total(METRIC.unattributed)).toBe(1);
    expect(await ports.pendingReceipts.list("analytics", 10)).toEqual([]);
  });

  it("honours a configured max age", async () => {
    const ports = portsWithParking();
    await runAnalytics([phonelessDelivered("m-never")], ports, { parkedMaxAgeMs: 60_000 });
    ports.clock.advance(60_000);
    await runAnalytics([unrelated()], ports, { parkedMaxAgeMs: 60_000 });
    expect(delivered(ports, UNATTRIBUTED)).toBe(1);
  });

  it("re-counts a swept receipt once more when its batch is retried after a failed remove, never under unattributed", async () => {
    const ports = portsWithParking();
    await runAnalytics([phonelessDelivered()], ports);
    await ports.messages.record(SENT);

    const failingRemove: PendingReceiptStore = {
      park: (c, e, at) => ports.pendingReceipts.park(c, e, at),
      list: (c, n) => ports.pendingReceipts.list(c, n),
      claim: (c, id, claim) => ports.pendingReceipts.claim(c, id, claim),
      remove: async () => {
        throw new Error("store unavailable");
      },
    };
    const batch = [unrelated()];
    await expect(runAnalytics(batch, { ...ports, pendingReceipts: failingRemove })).rejects.toThrow(
      "store unavailable",
    );
    // The stream retries the batch: metrics are sums, so what the first attempt emitted stays.
    await runAnalytics(batch, ports);
    await runAnalytics([smsEvent({ kind: "sent", messageId: "m-next", campaignId: "next" })], ports);

    // Exactly what any retried batch does: its whole output, the swept receipt included, once more.
    expect(delivered(ports, "spring")).toBe(2);
    expect(ports.metrics.total(METRIC.sent, { campaignId: "other" })).toBe(2);
    expect(delivered(ports, UNATTRIBUTED)).toBe(0);
    expect(await ports.pendingReceipts.list("analytics", 10)).toEqual([]);
  });

  it("counts a parked receipt once when concurrent batches sweep it (one wins its claim), and the losers leave it to the winner", async () => {
    const ports = portsWithParking();
    await runAnalytics([phonelessDelivered()], ports);
    await ports.messages.record(SENT);
    // Pub/Sub pushes messages one per invocation, many at once: all sweep the same oldest receipts.
    await Promise.all(Array.from({ length: 8 }, () => runAnalytics([unrelated()], ports)));
    expect(delivered(ports, "spring")).toBe(1);
    expect(ports.metrics.total(METRIC.sent, { campaignId: "other" })).toBe(8);
    expect(await ports.pendingReceipts.list("analytics", 10)).toEqual([]);
  });

  it("takes a receipt whose sweeping batch died once that batch's claim lapses: nothing is lost", async () => {
    const ports = portsWithParking();
    await runAnalytics([phonelessDelivered()], ports);
    await ports.messages.record(SENT);
    const dying: PendingReceiptStore = {
      park: (c, e, at) => ports.pendingReceipts.park(c, e, at),
      list: (c, n) => ports.pendingReceipts.list(c, n),
      claim: (c, id, claim) => ports.pendingReceipts.claim(c, id, claim),
      remove: async () => {
        throw new Error("the function timed out");
      },
    };
    await expect(runAnalytics([unrelated()], { ...ports, pendingReceipts: dying })).rejects.toThrow();
    const [swept] = await ports.pendingReceipts.list("analytics", 10);
    expect(swept?.event.messageId).toBe(SENT.messageId);
    // Another batch while the claim holds leaves the receipt alone...
    await runAnalytics([unrelated()], ports);
    expect(await ports.pendingReceipts.list("analytics", 10)).toHaveLength(1);
    // ...and takes it once the claim lapsed.
    ports.clock.advance(PARKED_CLAIM_MS);
    await runAnalytics([unrelated()], ports);
    expect(await ports.pendingReceipts.list("analytics", 10)).toEqual([]);
    expect(delivered(ports, UNATTRIBUTED)).toBe(0);
  });

  it("does not count a receipt twice when a retried batch resolves a receipt its first attempt parked", async () => {
    const ports = portsWithParking();
    const receipt = phonelessDelivered();
    await runAnalytics([receipt], ports);
    await ports.messages.record(SENT);

    await runAnalytics([receipt], ports);
    await runAnalytics([unrelated()], ports);

    expect(delivered(ports, "spring")).toBe(1);
    expect(await ports.pendingReceipts.list("analytics", 10)).toEqual([]);
  });

  it("without a pending receipt store counts the unknown receipt as unattributed at once, as before", async () => {
    const ports = createMemoryPorts({ now: "2026-11-24T10:01:00.000Z" });
    await runAnalytics([phonelessDelivered()], ports);
    expect(delivered(ports, UNATTRIBUTED)).toBe(1);
  });
});

describe("archive with parked receipts", () => {
  it("archives a late receipt once, with its number, after its message is logged", async () => {
    const ports = portsWithParking();
    const receipt = phonelessDelivered();

    await archiveEvents([receipt], ports, "b1");
    expect(await archivedRows(ports)).toEqual([]);

    await ports.messages.record(SENT);
    await archiveEvents([unrelated()], ports, "b2");
    await archiveEvents([unrelated()], ports, "b3");

    const rows = (await archivedRows(ports)).filter((row) => row.eventId === receipt.eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      phoneNumber: SENT.phoneNumber,
      campaignId: "spring",
      subscriberId: "sub-1",
    });
  });

  it("archives a receipt whose message never comes with a null number after the max age", async () => {
    const ports = portsWithParking();
    const receipt = phonelessDelivered("m-never");
    await archiveEvents([receipt], ports, "b1");
    ports.clock.advance(PARKED_RECEIPT_MAX_AGE_MS);
    await archiveEvents([unrelated()], ports, "b2");

    const rows = (await archivedRows(ports)).filter((row) => row.eventId === receipt.eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.phoneNumber).toBeUndefined();
  });

  it("archives a parked receipt once when concurrent batches sweep it", async () => {
    const ports = portsWithParking();
    const receipt = phonelessDelivered();
    await archiveEvents([receipt], ports, "b1");
    await ports.messages.record(SENT);
    await Promise.all(
      Array.from({ length: 8 }, (_, index) => archiveEvents([unrelated()], ports, `b-concurrent-${index}`)),
    );
    const rows = (await archivedRows(ports)).filter((row) => row.eventId === receipt.eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.phoneNumber).toBe(SENT.phoneNumber);
  });

  it("writes one row when a batch is retried after a failed remove: the retry overwrites its own object", async () => {
    const ports = portsWithParking();
    const receipt = phonelessDelivered();
    await archiveEvents([receipt], ports, "b1");
    await ports.messages.record(SENT);
    const failingRemove: PendingReceiptStore = {
      park: (c, e, at) => ports.pendingReceipts.park(c, e, at),
      list: (c, n) => ports.pendingReceipts.list(c, n),
      claim: (c, id, claim) => ports.pendingReceipts.claim(c, id, claim),
      remove: async () => {
        throw new Error("store unavailable");
      },
    };
    const batch = [unrelated()];
    await expect(archiveEvents(batch, { ...ports, pendingReceipts: failingRemove }, "b2")).rejects.toThrow();
    await archiveEvents(batch, ports, "b2");
    await archiveEvents([unrelated()], ports, "b3");

    const rows = (await archivedRows(ports)).filter((row) => row.eventId === receipt.eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.phoneNumber).toBe(SENT.phoneNumber);
  });

  it("resolves analytics and archive independently", async () => {
    const ports = portsWithParking();
    const receipt = phonelessDelivered();
    await runAnalytics([receipt], ports);
    await archiveEvents([receipt], ports, "b1");
    await ports.messages.record(SENT);
    await runAnalytics([unrelated()], ports);

    expect(await ports.pendingReceipts.list("analytics", 10)).toEqual([]);
    expect(await ports.pendingReceipts.list("archive", 10)).toHaveLength(1);
  });
});
