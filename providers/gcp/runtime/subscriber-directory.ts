import { type CollectionReference, FieldPath, type Firestore } from "@google-cloud/firestore";
import type {
  ErasedItems,
  ErasureSubject,
  Subscriber,
  SubscriberDirectory,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteMatching, docIdOf, withoutUndefined } from "./firestore-support";

const PAGE_SIZE = 500;

/** Subscribers, one document per subscriber id; phone lookups use the automatic single-field index. */
export class FirestoreSubscriberDirectory implements SubscriberDirectory, SubscriberEraser {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  async get(subscriberId: string): Promise<Subscriber | undefined> {
    return (await this.collection.doc(docIdOf(subscriberId)).get()).data() as Subscriber | undefined;
  }

  async findByPhone(phoneNumber: string): Promise<Subscriber | undefined> {
    const page = await this.collection.where("phoneNumber", "==", phoneNumber).limit(1).get();
    return page.docs[0]?.data() as Subscriber | undefined;
  }

  async upsert(subscriber: Subscriber): Promise<void> {
    await this.collection.doc(docIdOf(subscriber.subscriberId)).set(withoutUndefined(subscriber));
  }

  async *list(): AsyncIterable<Subscriber> {
    let query = this.collection.orderBy(FieldPath.documentId()).limit(PAGE_SIZE);
    while (true) {
      const page = await query.get();
      for (const doc of page.docs) yield doc.data() as Subscriber;
      if (page.size < PAGE_SIZE) return;
      query = query.startAfter(page.docs[page.docs.length - 1]);
    }
  }

  /** Every document of the number or of the subject's subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const docs = await deleteMatching(this.collection, [
      ["phoneNumber", subject.phoneNumber],
      ...subject.subscriberIds.map((id) => ["subscriberId", id] as const),
    ]);
    return erasedItems(
      "subscribers",
      docs.map((doc) => String(doc["subscriberId"])),
    );
  }
}
