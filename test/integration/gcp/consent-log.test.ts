/**
 * The Firestore consent log against Google's Firestore emulator: the ConsentLog contract (append,
 * idempotent re-append, order, concurrency without a fork, tamper detection).
 */
import { describe, expect, it } from "vitest";
import { verifyChain } from "../../../core/processing/consent";
import { FirestoreConsentLog } from "../../../providers/gcp/runtime/consent-log";
import { docIdOf } from "../../../providers/gcp/runtime/firestore-support";
import { consentLogContract, consentRecord } from "../../contracts/consent-log.contract";
import { uniquePhone } from "../../contracts/support";
import { emulatorsUnavailable, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();
const firestore = () => fixture.firestore();
const entryDoc = (collection: string, phone: string, sequence: number) =>
  firestore()
    .collection(collection)
    .doc(docIdOf(phone))
    .collection("entries")
    .doc(String(sequence).padStart(12, "0"));

if (emulatorsUnavailable) {
  describe("the Firestore consent log", () => {
    it.skip(`skipped: ${emulatorsUnavailable}`, () => {});
  });
} else {
  const collection = uniqueName("consent-log");
  consentLogContract("Firestore (emulator)", async () => ({
    log: new FirestoreConsentLog(firestore(), collection),
    tamper: async (phone, sequence, change) => {
      await entryDoc(collection, phone, sequence).update(change);
      return new FirestoreConsentLog(firestore(), collection);
    },
  }));

  describe("the Firestore consent log's documents", () => {
    it("refuse a second entry at a taken sequence, so a writer that read a stale end cannot fork the chain", async () => {
      const phone = uniquePhone();
      const log = new FirestoreConsentLog(firestore(), collection);
      const first = await log.append(consentRecord(phone, 1));
      // A create() at sequence 1 again, as a racing writer would try it.
      await expect(
        entryDoc(collection, phone, 1).create({ ...first, eventId: "evt-other" }),
      ).rejects.toMatchObject({
        code: 6,
      });
      expect(verifyChain(await log.entriesFor(phone))).toEqual({ ok: true, entries: 1 });
    });
  });
}
