import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type {
  ConsentEntry,
  ConsentLog,
  ConsentRecord,
  ErasedItems,
  ErasureSubject,
  SubscriberEraser,
} from "../../../core/ports";
import { appendToChain, type ChainRetry, type ChainStore } from "../../../core/processing/consent";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { docIdOf, writeIf } from "./firestore-support";

/** Zero-padded, so document ids sort in chain order too. */
const entryId = (sequence: number) => String(sequence).padStart(12, "0");

/**
 * The consent log in Firestore: under `<collection>/<number>`, the subcollection `entries` holds
 * each entry (id: the zero-padded sequence, fields: the entry as the port states it) and `events`
 * one marker per causing event (id: the event id). An append creates both in one batch, each with
 * create(), which fails if the document exists: a race for a sequence, or one event twice, fails
 * the whole batch, and the loser reads the chain again. Batches, not transactions: the emulator
 * loses transaction writes (firestore-support.ts). The number's own document is never written.
 */
export class FirestoreConsentLog implements ConsentLog, SubscriberEraser {
  private readonly collection: CollectionReference;
  private readonly chain: ChainStore;

  constructor(
    private readonly firestore: Firestore,
    collection: string,
    private readonly retry: ChainRetry = {},
  ) {
    this.collection = firestore.collection(collection);
    this.chain = {
      entryOfEvent: async (phoneNumber, eventId) => {
        const marker = (await this.events(phoneNumber).doc(docIdOf(eventId)).get()).data();
        if (!marker) return undefined;
        return this.entryAt(phoneNumber, marker["sequence"] as number);
      },
      lastEntry: async (phoneNumber) => {
        const { docs } = await this.entries(phoneNumber).orderBy("sequence", "desc").limit(1).get();
        return docs[0]?.data() as ConsentEntry | undefined;
      },
      create: (entry) =>
        writeIf(() =>
          this.firestore
            .batch()
            .create(this.entries(entry.phoneNumber).doc(entryId(entry.sequence)), { ...entry })
            .create(this.events(entry.phoneNumber).doc(docIdOf(entry.eventId)), { sequence: entry.sequence })
            .commit(),
        ),
    };
  }

  append(record: ConsentRecord): Promise<ConsentEntry> {
    return appendToChain(this.chain, record, this.retry);
  }

  async entriesFor(phoneNumber: string): Promise<ConsentEntry[]> {
    const { docs } = await this.entries(phoneNumber).orderBy("sequence").get();
    return docs.map((doc) => doc.data() as ConsentEntry);
  }

  /**
   * The number's entries and event markers (the erasure reads the chain's head first, for the
   * tombstone). Markers first: an entry without its marker is still found by the next erasure.
   */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const markers = await this.events(subject.phoneNumber).get();
    for (const doc of markers.docs) await doc.ref.delete();
    const entries = await this.entries(subject.phoneNumber).get();
    for (const doc of entries.docs) await doc.ref.delete();
    return erasedItems(
      "consent-log",
      entries.docs.map((doc) => `${subject.phoneNumber}/entry#${doc.id}`),
    );
  }

  private async entryAt(phoneNumber: string, sequence: number): Promise<ConsentEntry | undefined> {
    return (await this.entries(phoneNumber).doc(entryId(sequence)).get()).data() as ConsentEntry | undefined;
  }

  private entries(phoneNumber: string): CollectionReference {
    return this.collection.doc(docIdOf(phoneNumber)).collection("entries");
  }

  private events(phoneNumber: string): CollectionReference {
    return this.collection.doc(docIdOf(phoneNumber)).collection("events");
  }
}

/** The consent log port when a collection is named (CONSENT_LOG_COLLECTION); without one no evidence is kept. */
export const consentLogOf = (
  firestore: Firestore,
  collection: string | undefined,
): { consentLog?: ConsentLog } =>
  collection ? { consentLog: new FirestoreConsentLog(firestore, collection) } : {};
