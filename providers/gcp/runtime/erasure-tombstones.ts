import type { CollectionReference, Firestore } from "@google-cloud/firestore";
import type { ErasureGuard, ErasureTombstone, ErasureTombstoneStore } from "../../../core/ports";
import { screenErasedPorts } from "../../../core/processing/erasure-guard";
import { docIdOf, withoutUndefined } from "./firestore-support";

/**
 * Erasure tombstones, kept in the opt-outs collection under the id of `erased#<salted hash>`: the
 * suppression list every send already consults, and never the number in clear.
 */
export class FirestoreErasureTombstones implements ErasureTombstoneStore {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, optOutsCollection: string) {
    this.collection = firestore.collection(optOutsCollection);
  }

  async put(tombstone: ErasureTombstone): Promise<void> {
    await this.collection
      .doc(docIdOf(`erased#${tombstone.phoneHash}`))
      .set({ tombstone: withoutUndefined({ ...tombstone }) });
  }

  async get(phoneHash: string): Promise<ErasureTombstone | undefined> {
    const data = (await this.collection.doc(docIdOf(`erased#${phoneHash}`)).get()).data();
    return data?.["tombstone"] as ErasureTombstone | undefined;
  }
}

/**
 * A function's erasure screening (as providers/aws/runtime/erasure-tombstones.ts): with the
 * stack's salt in its environment, erased numbers are looked up in the opt-outs collection and
 * the opt-out store treats them as opted out; without the salt the ports stay as they are.
 */
export const screenErased = <T extends object>(
  ports: T,
  firestore: Firestore,
  optOutsCollection: string,
  salt: string | undefined,
): T & { erasures?: ErasureGuard } =>
  screenErasedPorts(ports, salt, () => new FirestoreErasureTombstones(firestore, optOutsCollection));
