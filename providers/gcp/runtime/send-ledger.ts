import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type { SendLedger, SendLedgerState } from "../../../core/ports";
import { docIdOf, withoutUndefined, writeIf } from "./firestore-support";

/** One send per key: create() makes exactly one claimer win, even under concurrency. */
export class FirestoreSendLedger implements SendLedger {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  claim(key: string, at: string): Promise<boolean> {
    return writeIf(() => this.collection.doc(docIdOf(key)).create({ key, state: "pending", at }));
  }

  async settle(key: string, state: Exclude<SendLedgerState, { state: "pending" }>): Promise<void> {
    await this.collection.doc(docIdOf(key)).set({ key, ...withoutUndefined(state) });
  }

  async get(key: string): Promise<SendLedgerState | undefined> {
    const data = (await this.collection.doc(docIdOf(key)).get()).data();
    if (!data) return undefined;
    const { key: _key, ...state } = data;
    return state as SendLedgerState;
  }
}
