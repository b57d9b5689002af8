import { describe, expect, it } from "vitest";
import type { ConsentEntry, ConsentLog, ConsentRecord } from "../../core/ports";
import { CONSENT_GENESIS_HASH, verifyChain } from "../../core/processing/consent";
import { type Make, uniqueId, uniquePhone } from "./support";

/**
 * The adapter under test, and a way to alter one stored entry behind its back (as someone with
 * write access to the table or file could), returning the log to read it through afterwards.
 */
export interface ConsentLogUnderTest {
  log: ConsentLog;
  tamper(phoneNumber: string, sequence: number, change: Partial<ConsentEntry>): Promise<ConsentLog>;
}

const T0 = Date.parse("2026-11-24T10:00:00.000Z");

/** A consent record for `phone`, the n-th of a test (its time follows n). */
export const consentRecord = (
  phone: string,
  n: number,
  overrides: Partial<ConsentRecord> = {},
): ConsentRecord => ({
  phoneNumber: phone,
  action: n % 2 === 1 ? "opt_out" : "opt_in",
  source: "reply_keyword",
  wording: n % 2 === 1 ? "STOP" : "START",
  at: new Date(T0 + n * 60_000).toISOString(),
  eventId: uniqueId("evt"),
  ...overrides,
});

export function consentLogContract(name: string, make: Make<ConsentLogUnderTest>): void {
  describe(`ConsentLog contract: ${name}`, () => {
    it("appends a number's first entry at sequence 1 on the genesis hash, keeping every field", async () => {
      const { log } = await make();
      const record = consentRecord(uniquePhone(), 1, {
        source: "carrier_opt_out",
        wording: "carrier opt-out",
      });
      const entry = await log.append(record);
      expect(entry).toMatchObject({ ...record, sequence: 1, previousHash: CONSENT_GENESIS_HASH });
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await log.entriesFor(record.phoneNumber)).toEqual([entry]);
    });

    it("returns no entries for a number never seen", async () => {
      const { log } = await make();
      expect(await log.entriesFor(uniquePhone())).toEqual([]);
    });

    it("keeps the first entry when the causing event is appended again", async () => {
      const { log } = await make();
      const record = consentRecord(uniquePhone(), 1);
      const first = await log.append(record);
      const again = await log.append({
        ...record,
        at: new Date(T0 + 999_000).toISOString(),
        wording: "stop",
      });
      expect(again).toEqual(first);
      expect(await log.entriesFor(record.phoneNumber)).toEqual([first]);
    });

    it("returns a number's entries in append order, each chained to the one before, and the chain verifies", async () => {
      const { log } = await make();
      const phone = uniquePhone();
      const other = uniquePhone();
      const appended: ConsentEntry[] = [];
      for (let n = 1; n <= 4; n++) {
        appended.push(await log.append(consentRecord(phone, n)));
        await log.append(consentRecord(other, n));
      }
      const entries = await log.entriesFor(phone);
      expect(entries).toEqual(appended);
      expect(entries.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
      expect(entries.slice(1).map((e) => e.previousHash)).toEqual(entries.slice(0, -1).map((e) => e.hash));
      expect(verifyChain(entries)).toEqual({ ok: true, entries: 4 });
      // Each number's chain stands alone.
      expect((await log.entriesFor(other)).map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    });

    it("does not fork the chain when appends for one number run at once", async () => {
      const { log } = await make();
      const phone = uniquePhone();
      const records = Array.from({ length: 8 }, (_, i) => consentRecord(phone, i + 1));
      // The same event twice, concurrently, still makes one entry.
      await Promise.all([...records, records[0] as ConsentRecord].map((r) => log.append(r)));
      const entries = await log.entriesFor(phone);
      expect(entries.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(entries.map((e) => e.eventId))).toEqual(new Set(records.map((r) => r.eventId)));
      expect(verifyChain(entries)).toEqual({ ok: true, entries: 8 });
    });

    it("lets verification name an entry altered in the store", async () => {
      const subject = await make();
      const phone = uniquePhone();
      for (let n = 1; n <= 3; n++) await subject.log.append(consentRecord(phone, n));
      const reader = await subject.tamper(phone, 2, { action: "opt_in", wording: "YES" });
      const entries = await reader.entriesFor(phone);
      expect(entries[1]).toMatchObject({ sequence: 2, action: "opt_in", wording: "YES" });
      expect(verifyChain(entries)).toMatchObject({
        ok: false,
        index: 1,
        sequence: 2,
        eventId: entries[1]?.eventId,
      });
    });
  });
}
