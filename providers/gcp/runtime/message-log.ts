import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type {
  ErasedItems,
  ErasureSubject,
  MessageLog,
  SentMessage,
  SentRange,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { TTL_TIMESTAMP_FIELD } from "../infra/environment";
import {
  deleteMatching,
  docIdOf,
  expireAtOf,
  oneYearAfter,
  withoutUndefined,
  writeIf,
} from "./firestore-support";

const fromDoc = (data: Record<string, unknown>): SentMessage => {
  const { [TTL_TIMESTAMP_FIELD]: _expireAt, ...message } = data;
  return message as unknown as SentMessage;
};

/**
 * What we sent, one document per message id (the first record wins), kept a year by the TTL
 * policy; `lastTo` uses the (phoneNumber, sentAt desc) composite index the infra creates and
 * `sentBetween` the (phoneNumber, sentAt asc) one (a Firestore index serves one direction only).
 */
export class FirestoreMessageLog implements MessageLog, SubscriberEraser {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  async record(message: SentMessage): Promise<void> {
    const document = {
      ...withoutUndefined(message),
      [TTL_TIMESTAMP_FIELD]: expireAtOf(oneYearAfter(message.sentAt)),
    };
    await writeIf(() => this.collection.doc(docIdOf(message.messageId)).create(document));
  }

  async get(messageId: string): Promise<SentMessage | undefined> {
    const data = (await this.collection.doc(docIdOf(messageId)).get()).data();
    return data && fromDoc(data);
  }

  async lastTo(phoneNumber: string): Promise<SentMessage | undefined> {
    const page = await this.collection
      .where("phoneNumber", "==", phoneNumber)
      .orderBy("sentAt", "desc")
      .limit(1)
      .get();
    const first = page.docs[0];
    return first && fromDoc(first.data());
  }

  async sentBetween(phoneNumber: string, range: SentRange): Promise<SentMessage[]> {
    const page = await this.collection
      .where("phoneNumber", "==", phoneNumber)
      .where("sentAt", ">=", range.from)
      .where("sentAt", "<=", range.until)
      .orderBy("sentAt", "asc")
      .limit(range.limit)
      .get();
    return page.docs.map((doc) => fromDoc(doc.data()));
  }

  /** Every document of the number or of the subject's subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const docs = await deleteMatching(this.collection, [["phoneNumber", subject.phoneNumber]]);
    return erasedItems(
      "message-log",
      docs.map((doc) => String(doc["messageId"])),
    );
  }
}
