import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type {
  ErasedItems,
  ErasureSubject,
  ParkedReceipt,
  PendingReceiptStore,
  ReceiptClaim,
  SmsEvent,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { claimHolds, PARKED_RECEIPT_TTL_SECONDS } from "../../../core/processing/parking";
import { TTL_TIMESTAMP_FIELD } from "../infra/environment";
import {
  deleteMatching,
  docIdOf,
  expireAtOf,
  updateIfUnchanged,
  withoutUndefined,
  writeIf,
} from "./firestore-support";

/** docIdOf never leaves a raw space, so the space separates consumer and event id unambiguously. */
const parkedDocIdOf = (consumer: string, eventId: string) => `${docIdOf(consumer)} ${docIdOf(eventId)}`;

/**
 * Parked receipts, one document per (consumer, event id): create() keeps the first park. list()
 * uses the (consumer, parkedAt) composite index the infra creates; the TTL policy is a backstop.
 */
export class FirestorePendingReceiptStore implements PendingReceiptStore, SubscriberEraser {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  async park(consumer: string, event: SmsEvent, parkedAt: string): Promise<void> {
    const document = {
      consumer,
      parkedAt,
      event: withoutUndefined(event),
      [TTL_TIMESTAMP_FIELD]: expireAtOf(Math.floor(Date.parse(parkedAt) / 1000) + PARKED_RECEIPT_TTL_SECONDS),
    };
    await writeIf(() => this.collection.doc(parkedDocIdOf(consumer, event.eventId)).create(document));
  }

  async list(consumer: string, limit: number): Promise<ParkedReceipt[]> {
    const page = await this.collection
      .where("consumer", "==", consumer)
      .orderBy("parkedAt", "asc")
      .limit(limit)
      .get();
    return page.docs.map((doc) => {
      const data = doc.data();
      return { event: data["event"] as SmsEvent, parkedAt: data["parkedAt"] as string };
    });
  }

  /** Read, then update the claim on the condition that nobody wrote the document since. */
  async claim(consumer: string, eventId: string, claim: ReceiptClaim): Promise<boolean> {
    const ref = this.collection.doc(parkedDocIdOf(consumer, eventId));
    const snapshot = await ref.get();
    if (!snapshot.exists || claimHolds(snapshot.get("claim") as ReceiptClaim | undefined, claim))
      return false;
    return updateIfUnchanged(ref, snapshot, { claim });
  }

  async remove(consumer: string, eventId: string): Promise<void> {
    await this.collection.doc(parkedDocIdOf(consumer, eventId)).delete();
  }

  /** Every document of the number or of the subject's subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const docs = await deleteMatching(this.collection, [
      ["event.phoneNumber", subject.phoneNumber],
      ...subject.subscriberIds.map((id) => ["event.subscriberId", id] as const),
    ]);
    return erasedItems(
      "pending-receipts",
      docs.map((doc) => `${doc["consumer"]}/${(doc["event"] as { eventId?: string } | undefined)?.eventId}`),
    );
  }
}
