import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type {
  ErasedItems,
  ErasureSubject,
  ResponseRecord,
  ResponsesStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { TTL_TIMESTAMP_FIELD } from "../infra/environment";
import { deleteMatching, docIdOf, expireAtOf, withoutUndefined, writeIf } from "./firestore-support";

const fromDoc = (data: Record<string, unknown>): ResponseRecord => {
  const { [TTL_TIMESTAMP_FIELD]: _expireAt, ...record } = data;
  return record as unknown as ResponseRecord;
};

/**
 * Replies in Firestore, one document per event id: create() is the idempotency check (a replay
 * gets ALREADY_EXISTS, so the first record wins). `ttl` stays epoch seconds as in every store;
 * `expireAt` holds the same instant as a Timestamp, which is what the TTL policy reads.
 */
export class FirestoreResponsesStore implements ResponsesStore, SubscriberEraser {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  async put(record: ResponseRecord): Promise<"created" | "exists"> {
    const document = { ...withoutUndefined(record), [TTL_TIMESTAMP_FIELD]: expireAtOf(record.ttl) };
    const created = await writeIf(() => this.collection.doc(docIdOf(record.event_id)).create(document));
    return created ? "created" : "exists";
  }

  async get(eventId: string): Promise<ResponseRecord | undefined> {
    const snapshot = await this.collection.doc(docIdOf(eventId)).get();
    const data = snapshot.data();
    return data && fromDoc(data);
  }

  async bySubscriber(subscriberId: string): Promise<ResponseRecord[]> {
    const page = await this.collection.where("subscriber_id", "==", subscriberId).get();
    return page.docs
      .map((d) => fromDoc(d.data()))
      .sort((a, b) => a.response_timestamp.localeCompare(b.response_timestamp));
  }

  async byCampaign(campaignId: string): Promise<ResponseRecord[]> {
    const page = await this.collection.where("campaign_id", "==", campaignId).get();
    return page.docs.map((d) => fromDoc(d.data()));
  }

  /** Every document of the number or of the subject's subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const docs = await deleteMatching(this.collection, [
      ["phone_number", subject.phoneNumber],
      ...subject.subscriberIds.map((id) => ["subscriber_id", id] as const),
    ]);
    return erasedItems(
      "responses",
      docs.map((doc) => String(doc["event_id"])),
    );
  }
}
