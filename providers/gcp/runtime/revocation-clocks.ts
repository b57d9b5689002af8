import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type {
  ErasedItems,
  ErasureSubject,
  RevocationClock,
  RevocationClockStart,
  RevocationClockStore,
  RevocationVerdict,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteMatching, docIdOf, updateIfUnchanged, withoutUndefined, writeIf } from "./firestore-support";

/** Concurrent writers of one clock retry a few times; more conflicts than this is a real failure. */
const MAX_ATTEMPTS = 5;

/** The stored document: the clock, plus `open` while it runs (the due query's equality field). */
type ClockDocument = RevocationClock & { open: boolean };

const clockOf = ({ open: _open, ...clock }: ClockDocument): RevocationClock => clock;

/**
 * Revocation SLA clocks in Firestore, one document per opting-out event (id = its event id).
 * due() is one query on (open, optedOutAt), served by the composite index in infra/dataStore.ts;
 * confirm() and settle() update under the read's update time, so the first write stands.
 */
export class FirestoreRevocationClockStore implements RevocationClockStore, SubscriberEraser {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  async start(clock: RevocationClockStart): Promise<"created" | "exists"> {
    const document: ClockDocument = { ...withoutUndefined(clock), open: true };
    const created = await writeIf(() => this.collection.doc(docIdOf(clock.eventId)).create(document));
    return created ? "created" : "exists";
  }

  async confirm(eventId: string, confirmedAt: string, messageId?: string): Promise<void> {
    await this.updateOnce(eventId, (clock) =>
      clock.confirmedAt === undefined
        ? withoutUndefined({ confirmedAt, confirmationMessageId: messageId })
        : undefined,
    );
  }

  async due(optedOutBefore: string, limit: number): Promise<RevocationClock[]> {
    const page = await this.collection
      .where("open", "==", true)
      .where("optedOutAt", "<=", optedOutBefore)
      .orderBy("optedOutAt")
      .orderBy("eventId")
      .limit(limit)
      .get();
    return page.docs.map((doc) => clockOf(doc.data() as ClockDocument));
  }

  async settle(eventId: string, verdict: RevocationVerdict): Promise<boolean> {
    return this.updateOnce(eventId, (clock) => (clock.verdict ? undefined : { verdict, open: false }));
  }

  async list(): Promise<RevocationClock[]> {
    const page = await this.collection.orderBy("optedOutAt").orderBy("eventId").get();
    return page.docs.map((doc) => clockOf(doc.data() as ClockDocument));
  }

  /** Every clock of the number or one of the subject's subscriber ids, judged or running. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const docs = await deleteMatching(this.collection, [
      ["phoneNumber", subject.phoneNumber],
      ...subject.subscriberIds.map((id) => ["subscriberId", id] as const),
    ]);
    return erasedItems(
      "revocation-clocks",
      docs.map((doc) => String(doc["eventId"])),
    );
  }

  /** Applies `change` to the stored clock unless it returns undefined; true when it wrote. */
  private async updateOnce(
    eventId: string,
    change: (clock: ClockDocument) => Record<string, unknown> | undefined,
  ): Promise<boolean> {
    const ref = this.collection.doc(docIdOf(eventId));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const snapshot = await ref.get();
      const current = snapshot.data() as ClockDocument | undefined;
      const data = current && change(current);
      if (!data) return false;
      if (await updateIfUnchanged(ref, snapshot, data)) return true;
    }
    throw new Error(`revocation clock ${eventId}: too many concurrent writers`);
  }
}
