import { type CollectionReference, FieldValue, type Firestore } from "@google-cloud/firestore";
import type {
  ErasedItems,
  ErasureSubject,
  JourneyState,
  JourneyStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteMatching, docIdOf, updateIfUnchanged, withoutUndefined, writeIf } from "./firestore-support";

const OPTIONAL_FIELDS = ["wakeAt", "lastReply"] as const;

const docIdOfJourney = (journeyId: string, subscriberId: string) =>
  `${docIdOf(journeyId)}~${docIdOf(subscriberId)}`;

/**
 * Journey progress, one document per (journey, subscriber). Optimistic concurrency without
 * transactions: version 0 is create(); otherwise the stored version is checked and the write
 * carries a lastUpdateTime precondition, so a writer that read before another's write loses.
 */
export class FirestoreJourneyStore implements JourneyStore, SubscriberEraser {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  async get(journeyId: string, subscriberId: string): Promise<JourneyState | undefined> {
    const data = (await this.collection.doc(docIdOfJourney(journeyId, subscriberId)).get()).data();
    return data as JourneyState | undefined;
  }

  async put(state: JourneyState, expectedVersion: number): Promise<boolean> {
    const ref = this.collection.doc(docIdOfJourney(state.journeyId, state.subscriberId));
    const document = withoutUndefined(state);
    if (expectedVersion === 0) return writeIf(() => ref.create(document));
    const snapshot = await ref.get();
    if ((snapshot.data() as JourneyState | undefined)?.version !== expectedVersion) return false;
    // update() merges: clear the optional fields the new state no longer has.
    const cleared = Object.fromEntries(
      OPTIONAL_FIELDS.filter((field) => state[field] === undefined).map((field) => [
        field,
        FieldValue.delete(),
      ]),
    );
    return updateIfUnchanged(ref, snapshot, { ...document, ...cleared });
  }

  async bySubscriber(subscriberId: string): Promise<JourneyState[]> {
    const page = await this.collection.where("subscriberId", "==", subscriberId).get();
    return page.docs.map((d) => d.data() as JourneyState).filter((s) => s.status !== "done");
  }

  async due(at: string, limit: number): Promise<JourneyState[]> {
    if (limit <= 0) return [];
    const page = await this.collection
      .where("status", "==", "waiting")
      .where("wakeAt", "<=", at)
      .orderBy("wakeAt", "asc")
      .limit(limit)
      .get();
    return page.docs.map((d) => d.data() as JourneyState);
  }

  /** Every document of the number or of the subject's subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const docs = await deleteMatching(this.collection, [
      ["phoneNumber", subject.phoneNumber],
      ...subject.subscriberIds.map((id) => ["subscriberId", id] as const),
    ]);
    return erasedItems(
      "journeys",
      docs.map((doc) => `${doc["journeyId"]}/${doc["subscriberId"]}`),
    );
  }
}
