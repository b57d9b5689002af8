import { describe, expect, it } from "vitest";
import type { SmsEvent } from "../../core/events/schema";
import type {
  ConsentLog,
  ErasureTombstoneStore,
  JourneyStore,
  MessageLog,
  OptOutReviewStore,
  OptOutStore,
  PendingReceiptStore,
  ResponseRecord,
  ResponsesStore,
  RevocationClockStore,
  RewritableArchive,
  SubscriberDirectory,
  SubscriberEraser,
} from "../../core/ports";
import {
  ARCHIVE_PREFIX,
  archiveEvents,
  buildArchiveObjects,
  PARQUET_CONTENT_TYPE,
  readArchiveObject,
} from "../../core/processing/archive";
import { type ErasureReceipt, eraseSubscriber, receiptHashOf } from "../../core/processing/erasure";
import { erasureGuardOf, suppressErased } from "../../core/processing/erasure-guard";
import { phoneHash } from "../../core/redact";
import { SystemClock } from "../../providers/local/runtime/memory";
import { consentRecord } from "./consent-log.contract";
import { INDEX_SETTLE, type Make, uniqueId, uniquePhone } from "./support";

/** Every store of one cloud that holds personal data, each able to erase, plus the tombstones. */
export interface ErasureKit {
  responses: ResponsesStore & SubscriberEraser;
  messages: MessageLog & SubscriberEraser;
  journeys: JourneyStore & SubscriberEraser;
  subscribers: SubscriberDirectory & SubscriberEraser;
  optOuts: OptOutStore & SubscriberEraser;
  optOutReviews: OptOutReviewStore & SubscriberEraser;
  pendingReceipts: PendingReceiptStore & SubscriberEraser;
  /** Absent where the cloud has no consent log yet. */
  consentLog?: ConsentLog & SubscriberEraser;
  /** Absent where the cloud has no revocation SLA clocks yet. */
  revocations?: RevocationClockStore & SubscriberEraser;
  /** A fresh archive (its own bucket or key prefix): the erasure scans all of it. */
  archive: RewritableArchive;
  tombstones: ErasureTombstoneStore;
  /** Why the archive's conditional rewrite cannot be checked here (an emulator that ignores If-Match). */
  archiveIgnoresConditions?: string;
  /** Every stored item and object as text, read behind the ports (a table scan): the proof that nothing remains. */
  dump?: () => Promise<string>;
}

const SALT = "erasure-contract-salt-0123456789";
const DAY = "2026-11-24";
const at = (minute: number) => `${DAY}T10:${String(minute).padStart(2, "0")}:00.000Z`;

/** Ana is erased; Ben shares every store and must keep everything. */
export interface Person {
  phone: string;
  subscriberId: string;
  messageId: string;
  replyIds: string[];
  reviewId: string;
  receiptId: string;
  optOutEventId: string;
}

export const person = (): Person => ({
  phone: uniquePhone(),
  subscriberId: uniqueId("sub"),
  messageId: uniqueId("msg"),
  replyIds: [uniqueId("reply"), uniqueId("reply")],
  reviewId: uniqueId("review"),
  receiptId: uniqueId("receipt"),
  optOutEventId: uniqueId("stop"),
});

const response = (p: Person, eventId: string, withSubscriber: boolean): ResponseRecord => ({
  event_id: eventId,
  ...(withSubscriber ? { subscriber_id: p.subscriberId } : {}),
  phone_number: p.phone,
  response_text: "YES please",
  response_timestamp: at(5),
  category: "yes",
  sentiment: "positive",
  ttl: Math.floor(Date.parse(at(5)) / 1000) + 86_400,
});

const eventsOf = (p: Person): SmsEvent[] => [
  {
    eventId: uniqueId("evt"),
    schemaVersion: 1,
    kind: "sent",
    occurredAt: at(1),
    provider: "local",
    phoneNumber: p.phone,
    subscriberId: p.subscriberId,
    messageId: p.messageId,
    body: "Welcome!",
  },
  {
    eventId: p.replyIds[0] as string,
    schemaVersion: 1,
    kind: "received",
    occurredAt: at(5),
    provider: "local",
    phoneNumber: p.phone,
    body: "YES please",
  },
];

export async function seed(kit: ErasureKit, p: Person): Promise<void> {
  await kit.subscribers.upsert({
    subscriberId: p.subscriberId,
    phoneNumber: p.phone,
    attributes: { name: "A" },
  });
  await kit.responses.put(response(p, p.replyIds[0] as string, true));
  await kit.responses.put(response(p, p.replyIds[1] as string, false));
  await kit.messages.record({
    messageId: p.messageId,
    phoneNumber: p.phone,
    sentAt: at(1),
    subscriberId: p.subscriberId,
  });
  await kit.journeys.put(
    {
      journeyId: "welcome-series",
      subscriberId: p.subscriberId,
      phoneNumber: p.phone,
      stepId: "wait-yes",
      status: "waiting",
      wakeAt: "1994-01-01T00:00:00.000Z",
      version: 1,
      updatedAt: at(2),
    },
    0,
  );
  await kit.optOuts.optOut(p.phone, at(6), p.replyIds[1] as string);
  await kit.optOutReviews.put({
    eventId: p.reviewId,
    phoneNumber: p.phone,
    text: "wrong number",
    receivedAt: at(7),
    optOutConfidence: 0.7,
    rule: "phrase.en.wrong-number",
  });
  await kit.pendingReceipts.park(
    "archive",
    {
      eventId: p.receiptId,
      schemaVersion: 1,
      kind: "delivered",
      occurredAt: at(3),
      provider: "local",
      phoneNumber: p.phone,
      messageId: p.messageId,
    },
    at(3),
  );
  if (kit.consentLog) {
    await kit.consentLog.append(consentRecord(p.phone, 1));
    await kit.consentLog.append(consentRecord(p.phone, 2));
  }
  if (kit.revocations) {
    // A judged clock and a running one: both carry the number.
    await kit.revocations.start({
      eventId: p.optOutEventId,
      phoneNumber: p.phone,
      optedOutAt: at(6),
      source: "reply_keyword",
      subscriberId: p.subscriberId,
      confirmationExpected: true,
    });
    await kit.revocations.confirm(p.optOutEventId, at(7), uniqueId("confirm"));
    await kit.revocations.settle(p.optOutEventId, { status: "met", checkedAt: at(12), failures: [] });
    await kit.revocations.start({
      eventId: uniqueId("stop"),
      phoneNumber: p.phone,
      optedOutAt: at(8),
      source: "reply_keyword",
      confirmationExpected: true,
    });
  }
}

const clockPhones = async (kit: ErasureKit): Promise<string[]> =>
  kit.revocations ? (await kit.revocations.list()).map((clock) => clock.phoneNumber) : [];

/** Two files: one shared by Ana and Ben, one of Ana's alone. */
export async function seedArchive(kit: ErasureKit, ana: Person, ben: Person): Promise<string[]> {
  const objects = [
    ...buildArchiveObjects([...eventsOf(ana), ...eventsOf(ben)], uniqueId("batch-shared")),
    ...buildArchiveObjects(eventsOf(ana), uniqueId("batch-ana")),
  ];
  for (const object of objects) await kit.archive.put(object.key, object.body, PARQUET_CONTENT_TYPE);
  return objects.map((o) => o.key).sort();
}

export async function archiveRows(archive: RewritableArchive): Promise<Map<string, SmsEvent[]>> {
  const rows = new Map<string, SmsEvent[]>();
  for (const key of await archive.list(ARCHIVE_PREFIX)) {
    rows.set(key, await readArchiveObject((await archive.get(key)) as Uint8Array));
  }
  return rows;
}

const digitsOf = (phone: string) => phone.slice(1);
const removedIn = (receipt: ErasureReceipt, store: string) =>
  receipt.stores.find((s) => s.store === store)?.removed;

export function erasureContract(name: string, make: Make<ErasureKit>): void {
  describe(`Erasure contract: ${name}`, () => {
    it("removes every item, row and key of the number, keeps the other subscriber's, and rewrites the archive in place", async () => {
      const kit = await make();
      const [ana, ben] = [person(), person()];
      await seed(kit, ana);
      await seed(kit, ben);
      const keys = await seedArchive(kit, ana, ben);
      const chain = kit.consentLog ? await kit.consentLog.entriesFor(ana.phone) : [];

      const { receipt, tombstone } = await eraseSubscriber(
        ana.phone,
        { ...kit, stores: storesOf(kit), clock: new SystemClock() },
        SALT,
      );

      // Through the ports: Ana is gone everywhere.
      for (const id of ana.replyIds) expect(await kit.responses.get(id)).toBeUndefined();
      expect(await kit.responses.bySubscriber(ana.subscriberId)).toEqual([]);
      expect(await kit.messages.get(ana.messageId)).toBeUndefined();
      await expect.poll(() => kit.messages.lastTo(ana.phone), INDEX_SETTLE).toBeUndefined();
      expect(await kit.journeys.get("welcome-series", ana.subscriberId)).toBeUndefined();
      expect(await kit.subscribers.get(ana.subscriberId)).toBeUndefined();
      await expect.poll(() => kit.subscribers.findByPhone(ana.phone), INDEX_SETTLE).toBeUndefined();
      expect(await kit.optOuts.isOptedOut(ana.phone)).toBe(false);
      expect(await kit.optOutReviews.get(ana.reviewId)).toBeUndefined();
      expect(await kit.optOutReviews.isHeld(ana.phone)).toBe(false);
      const parked = await kit.pendingReceipts.list("archive", 10_000);
      expect(parked.map((p) => p.event.eventId)).not.toContain(ana.receiptId);
      if (kit.consentLog) expect(await kit.consentLog.entriesFor(ana.phone)).toEqual([]);
      expect(await clockPhones(kit)).not.toContain(ana.phone);

      // Ben keeps everything.
      expect(await kit.responses.get(ben.replyIds[0] as string)).toBeDefined();
      expect(await kit.messages.get(ben.messageId)).toBeDefined();
      expect(await kit.journeys.get("welcome-series", ben.subscriberId)).toBeDefined();
      expect(await kit.subscribers.get(ben.subscriberId)).toBeDefined();
      expect(await kit.optOuts.isOptedOut(ben.phone)).toBe(true);
      expect(await kit.optOutReviews.isHeld(ben.phone)).toBe(true);
      expect((await kit.pendingReceipts.list("archive", 10_000)).map((p) => p.event.eventId)).toContain(
        ben.receiptId,
      );
      if (kit.consentLog) expect(await kit.consentLog.entriesFor(ben.phone)).toHaveLength(2);
      if (kit.revocations) {
        expect((await clockPhones(kit)).filter((phone) => phone === ben.phone)).toHaveLength(2);
      }

      // The archive: same keys, every file still reads, no row of Ana's, Ben's rows intact.
      const rows = await archiveRows(kit.archive);
      expect([...rows.keys()].filter((k) => keys.includes(k)).sort()).toEqual(keys);
      const all = [...rows.values()].flat();
      expect(all.filter((r) => r.phoneNumber === ana.phone || r.subscriberId === ana.subscriberId)).toEqual(
        [],
      );
      expect(all.filter((r) => r.phoneNumber === ben.phone)).toHaveLength(2);

      // Behind the ports: no stored item or object carries the number.
      if (kit.dump) {
        const dump = await kit.dump();
        expect(dump).not.toContain(digitsOf(ana.phone));
        expect(dump).toContain(digitsOf(ben.phone));
      }

      // The receipt says what went where, without the number; the tombstone proves it.
      expect(removedIn(receipt, "responses")).toBe(2);
      expect(removedIn(receipt, "message-log")).toBe(1);
      expect(removedIn(receipt, "journeys")).toBe(1);
      expect(removedIn(receipt, "subscribers")).toBe(1);
      expect(removedIn(receipt, "opt-outs")).toBe(1);
      expect(removedIn(receipt, "opt-out-reviews")).toBe(1);
      expect(removedIn(receipt, "pending-receipts")).toBe(1);
      expect(removedIn(receipt, "archive")).toBe(4);
      expect(receipt.stores.find((s) => s.store === "archive")?.keys.sort()).toEqual(keys);
      expect(JSON.stringify(receipt)).not.toContain(digitsOf(ana.phone));
      expect(await kit.tombstones.get(phoneHash(ana.phone, SALT))).toEqual(tombstone);
      expect(tombstone.receiptHash).toBe(receiptHashOf(receipt));
      expect(JSON.stringify(tombstone)).not.toContain(digitsOf(ana.phone));
      if (kit.consentLog) {
        expect(removedIn(receipt, "consent-log")).toBe(2);
        expect(tombstone.consent).toEqual({ entries: 2, headHash: chain.at(-1)?.hash });
      }
      if (kit.revocations) expect(removedIn(receipt, "revocation-clocks")).toBe(2);
    });

    it("erasing again removes nothing and keeps the first run's consent head in the tombstone", async () => {
      const kit = await make();
      const ana = person();
      await seed(kit, ana);
      const deps = { ...kit, stores: storesOf(kit), clock: new SystemClock() };
      const first = await eraseSubscriber(ana.phone, deps, SALT);
      const again = await eraseSubscriber(ana.phone, deps, SALT);
      expect(again.receipt.removed).toBe(0);
      expect(again.tombstone.consent).toEqual(first.tombstone.consent);
    });

    it("keeps the number suppressed: sends see it opted out, a later STOP stores nothing, a retried archive batch drops its rows", async () => {
      const kit = await make();
      const [ana, ben] = [person(), person()];
      await seed(kit, ana);
      await eraseSubscriber(ana.phone, { ...kit, stores: storesOf(kit), clock: new SystemClock() }, SALT);
      const guard = erasureGuardOf(kit.tombstones, SALT);
      const optOuts = suppressErased(kit.optOuts, guard);
      expect(await optOuts.isOptedOut(ana.phone)).toBe(true);
      expect(await optOuts.optOut(ana.phone, at(30), uniqueId("stop"))).toBe(false);
      expect(await kit.optOuts.isOptedOut(ana.phone)).toBe(false);
      expect(await optOuts.isOptedOut(ben.phone)).toBe(false);

      const batch = uniqueId("batch-retried");
      const objects = await archiveEvents(
        [...eventsOf(ana), ...eventsOf(ben)],
        // Without the parked receipts: other tests' receipts would join the batch.
        { archive: kit.archive, messages: kit.messages, erasures: guard },
        batch,
      );
      const written = (
        await readArchiveObject((await kit.archive.get(objects[0]?.key as string)) as Uint8Array)
      ).map((row) => row.phoneNumber);
      expect(written).toEqual([ben.phone, ben.phone]);
    });

    it("refuses a rewrite of an archive object written since it was read", async (ctx) => {
      const { archive, archiveIgnoresConditions } = await make();
      if (archiveIgnoresConditions) ctx.skip(archiveIgnoresConditions);
      const key = `${ARCHIVE_PREFIX}dt=${DAY}/${uniqueId("race")}.parquet`;
      await archive.put(key, new Uint8Array([1]), PARQUET_CONTENT_TYPE);
      const read = await archive.getVersioned(key);
      await archive.put(key, new Uint8Array([2]), PARQUET_CONTENT_TYPE);
      const stale = await archive.replaceIf(
        key,
        new Uint8Array([3]),
        PARQUET_CONTENT_TYPE,
        read?.version as string,
      );
      expect(stale).toBeUndefined();
      expect([...((await archive.get(key)) as Uint8Array)]).toEqual([2]);
      const fresh = await archive.getVersioned(key);
      const written = await archive.replaceIf(
        key,
        new Uint8Array([4]),
        PARQUET_CONTENT_TYPE,
        fresh?.version as string,
      );
      expect(written).toBeDefined();
      expect(written).not.toBe(fresh?.version);
      expect((await archive.getVersioned(key))?.version).toBe(written);
      expect([...((await archive.get(key)) as Uint8Array)]).toEqual([4]);
    });

    it("erases again a rewritten file that a late batch wrote back before the scan ended", async () => {
      const kit = await make();
      const [ana, ben] = [person(), person()];
      const [object] = buildArchiveObjects([...eventsOf(ana), ...eventsOf(ben)], uniqueId("batch-late"));
      if (!object) throw new Error("no archive object built");
      await kit.archive.put(object.key, object.body, PARQUET_CONTENT_TYPE);
      // The retried batch lands right after the erasure's first rewrite, as if it had checked the
      // tombstone just before it was written.
      let late = true;
      const racing: RewritableArchive = Object.create(kit.archive, {
        replaceIf: {
          value: async (...args: Parameters<RewritableArchive["replaceIf"]>) => {
            const version = await kit.archive.replaceIf(...args);
            if (late && version !== undefined) {
              late = false;
              await kit.archive.put(object.key, object.body, PARQUET_CONTENT_TYPE);
            }
            return version;
          },
        },
      });
      const { receipt } = await eraseSubscriber(
        ana.phone,
        { ...kit, archive: racing, stores: [], clock: new SystemClock() },
        SALT,
      );
      const rows = await readArchiveObject((await kit.archive.get(object.key)) as Uint8Array);
      expect(rows.map((r) => r.phoneNumber)).toEqual([ben.phone, ben.phone]);
      expect(removedIn(receipt, "archive")).toBe(4);
    });
  });
}

/** The kit's stores in the order an erasure empties them. */
export const storesOf = (kit: ErasureKit): SubscriberEraser[] => [
  kit.responses,
  kit.messages,
  kit.journeys,
  kit.optOutReviews,
  kit.pendingReceipts,
  kit.optOuts,
  ...(kit.consentLog ? [kit.consentLog] : []),
  ...(kit.revocations ? [kit.revocations] : []),
  kit.subscribers,
];
