/**
 * The Firestore consent log against Google's Firestore emulator: the ConsentLog contract (append,
 * idempotent re-append, order, concurrency without a fork, tamper detection).
 */
import { describe, expect, it } from "vitest";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { encodeEvent } from "../../../core/events/decode";
import { verifyChain } from "../../../core/processing/consent";
import { journeyDefinitions } from "../../../journeys";
import { FirestoreConsentLog } from "../../../providers/gcp/runtime/consent-log";
import { docIdOf } from "../../../providers/gcp/runtime/firestore-support";
import { loadGcpStackConfig } from "../../../providers/local/bootstrap/stack-config";
import { buildGcpConsumers } from "../../../providers/local/clouds/gcp-consumers";
import { firestoreStores } from "../../../providers/local/clouds/gcp-stores";
import { createMemoryPorts } from "../../../providers/local/runtime/memory";
import { consentLogContract, consentRecord } from "../../contracts/consent-log.contract";
import { uniquePhone } from "../../contracts/support";
import { replyEvent } from "../../unit/aws/kinesis-events";
import { pubsubCloudEvent } from "../../unit/gcp/pubsub-events";
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

  describe("the local GCP run's responses function", () => {
    it("keeps a STOP's consent evidence in Firestore, once across a redelivered message", async () => {
      const stores = firestoreStores(firestore(), loadGcpStackConfig("Pulumi.gcp.yaml"));
      const memory = createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
      const { responses } = buildGcpConsumers({
        wiring: {
          metrics: memory.metrics,
          autoReplies: memory.sender,
          journeyRouting: {
            journeys: memory.journeys,
            subscribers: memory.subscribers,
            definitions: new JourneyCatalog(journeyDefinitions, memory.campaigns),
            campaigns: memory.campaigns,
          },
          responsesClock: memory.clock,
          responsesSettings: { helpText: "help", stopConfirmationText: "bye", patterns: [] },
        },
        stores,
        deadLetter: memory.deadLetter,
        notifier: memory.notifier,
        // Only the archive function writes there, and it does not run here.
        archive: undefined as never,
      });
      const phone = uniquePhone();
      const stop = pubsubCloudEvent(encodeEvent(replyEvent("STOP", { phoneNumber: phone })), "message-stop");
      await responses(stop);
      await responses(stop);
      const entries = await stores.consentLog!.entriesFor(phone);
      expect(entries).toMatchObject([
        { action: "opt_out", source: "reply_keyword", wording: "STOP", sequence: 1 },
      ]);
      expect(verifyChain(entries)).toEqual({ ok: true, entries: 1 });
      expect(memory.deadLetter.entries).toEqual([]);
    });
  });
}
