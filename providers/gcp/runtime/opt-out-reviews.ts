import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type {
  ErasedItems,
  ErasureSubject,
  OptOutReview,
  OptOutReviewDecision,
  OptOutReviewStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteMatching, docIdOf, updateIfUnchanged, withoutUndefined, writeIf } from "./firestore-support";

/** Concurrent reviewers on one reply retry a few times; more conflicts than this is a real failure. */
const MAX_ATTEMPTS = 5;

/**
 * The review queue in Firestore, one document per held reply (id = its event id). Documents hold
 * the port's own shape, so they read back as they were put. isHeld() is one equality query on
 * (phoneNumber, status), which Firestore serves from its single-field indexes, strongly consistent;
 * list() orders the pending ones by receivedAt (the composite index in infra/dataStore.ts).
 * put() is create() (ALREADY_EXISTS = a replay); decide() an update under the read's update time.
 */
export class FirestoreOptOutReviewStore implements OptOutReviewStore, SubscriberEraser {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  async put(review: Omit<OptOutReview, "status" | "decidedAt">): Promise<"created" | "exists"> {
    const pending: OptOutReview = { ...withoutUndefined(review), status: "pending" };
    const created = await writeIf(() => this.collection.doc(docIdOf(review.eventId)).create(pending));
    return created ? "created" : "exists";
  }

  async get(eventId: string): Promise<OptOutReview | undefined> {
    const snapshot = await this.collection.doc(docIdOf(eventId)).get();
    return snapshot.data() as OptOutReview | undefined;
  }

  async list(limit: number): Promise<OptOutReview[]> {
    const page = await this.collection
      .where("status", "==", "pending")
      .orderBy("receivedAt")
      .orderBy("eventId")
      .limit(limit)
      .get();
    return page.docs.map((doc) => doc.data() as OptOutReview);
  }

  async decide(
    eventId: string,
    decision: OptOutReviewDecision,
    at: string,
  ): Promise<OptOutReview | undefined> {
    const ref = this.collection.doc(docIdOf(eventId));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const snapshot = await ref.get();
      const current = snapshot.data() as OptOutReview | undefined;
      if (current?.status !== "pending") return current;
      if (await updateIfUnchanged(ref, snapshot, { status: decision, decidedAt: at })) {
        return { ...current, status: decision, decidedAt: at };
      }
      // Someone decided it between our read and our write: read again and return theirs.
    }
    throw new Error(`review of ${eventId}: too many concurrent reviewers`);
  }

  async isHeld(phoneNumber: string): Promise<boolean> {
    const page = await this.collection
      .where("phoneNumber", "==", phoneNumber)
      .where("status", "==", "pending")
      .limit(1)
      .get();
    return !page.empty;
  }

  /** Every document of the number or of the subject's subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const docs = await deleteMatching(this.collection, [["phoneNumber", subject.phoneNumber]]);
    return erasedItems(
      "opt-out-reviews",
      docs.map((doc) => String(doc["eventId"])),
    );
  }
}
