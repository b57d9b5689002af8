import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type { ErasedItems, ErasureSubject, OptOutStore, SubscriberEraser } from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { maskPhone } from "../../../core/redact";
import { deleteMatching, docIdOf, updateIfUnchanged, writeIf } from "./firestore-support";

interface OptOutDoc {
  phoneNumber: string;
  optedOut: boolean;
  at: string;
  sourceEventId: string;
}

/** Concurrent writers on one number retry a few times; more conflicts than this is a real failure. */
const MAX_ATTEMPTS = 5;

/**
 * Opt-outs, one document per number, changed only by create() or a lastUpdateTime precondition,
 * so two concurrent STOPs cannot both be "first".
 */
export class FirestoreOptOutStore implements OptOutStore, SubscriberEraser {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  async optOut(phoneNumber: string, at: string, sourceEventId: string): Promise<boolean> {
    const ref = this.collection.doc(docIdOf(phoneNumber));
    const next: OptOutDoc = { phoneNumber, optedOut: true, at, sourceEventId };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const snapshot = await ref.get();
      const current = snapshot.data() as OptOutDoc | undefined;
      if (current?.optedOut) return current.sourceEventId === sourceEventId;
      const wrote = current
        ? await updateIfUnchanged(ref, snapshot, { ...next })
        : await writeIf(() => ref.create(next));
      if (wrote) return true;
    }
    throw new Error(`opt-out of ${maskPhone(phoneNumber)}: too many concurrent writers`);
  }

  async optIn(phoneNumber: string): Promise<boolean> {
    const ref = this.collection.doc(docIdOf(phoneNumber));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const snapshot = await ref.get();
      if (!(snapshot.data() as OptOutDoc | undefined)?.optedOut) return false;
      if (await updateIfUnchanged(ref, snapshot, { optedOut: false })) return true;
    }
    throw new Error(`opt-in of ${maskPhone(phoneNumber)}: too many concurrent writers`);
  }

  async isOptedOut(phoneNumber: string): Promise<boolean> {
    const snapshot = await this.collection.doc(docIdOf(phoneNumber)).get();
    return (snapshot.data() as OptOutDoc | undefined)?.optedOut === true;
  }

  /** Every document of the number or of the subject's subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const docs = await deleteMatching(this.collection, [["phoneNumber", subject.phoneNumber]]);
    return erasedItems(
      "opt-outs",
      docs.map((doc) => String(doc["phoneNumber"])),
    );
  }
}
