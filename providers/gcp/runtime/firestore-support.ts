import {
  type CollectionReference,
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  Timestamp,
} from "@google-cloud/firestore";

/** gRPC status codes the Firestore client reports in `error.code`. */
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;

const codeOf = (error: unknown) => (error as { code?: unknown } | undefined)?.code;

/**
 * Runs a conditional write (create(), or an update with a lastUpdateTime precondition): true when
 * it wrote, false when the condition failed; any other error propagates.
 */
export const writeIf = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    const code = codeOf(error);
    if (code === ALREADY_EXISTS || code === FAILED_PRECONDITION) return false;
    throw error;
  }
};

/**
 * A document id for any key: ids cannot contain "/", be "." or "..", or look like `__x__`, so the key is
 * percent-encoded (dots too) and double underscores escaped.
 */
export const docIdOf = (key: string): string =>
  encodeURIComponent(key).replace(/\./g, "%2E").replace(/__/g, "_%5F");

export { withoutUndefined } from "../../../core/records";

/** The TTL policy's Timestamp field for a time given as epoch seconds. */
export const expireAtOf = (epochSeconds: number): Timestamp => Timestamp.fromMillis(epochSeconds * 1000);

/** One year after an ISO time, as epoch seconds (the message log's TTL). */
export const oneYearAfter = (iso: string): number => Math.floor(Date.parse(iso) / 1000) + 365 * 24 * 60 * 60;

/**
 * Updates a document only if nobody wrote it since `snapshot` was read; false on a conflict (or if
 * it was deleted meanwhile). Preconditions rather than transactions: the emulator loses transaction writes.
 */
export const updateIfUnchanged = (
  ref: DocumentReference,
  snapshot: DocumentSnapshot,
  data: Record<string, unknown>,
): Promise<boolean> => {
  const updateTime = snapshot.updateTime;
  if (!updateTime) return Promise.resolve(false);
  return writeIf(() => ref.update(data, { lastUpdateTime: updateTime }));
};

/**
 * Deletes every document where any of `matches` (field path, value) holds, one equality query per
 * match (erasure is rare), and returns their data. A value list that is empty matches nothing.
 */
export const deleteMatching = async (
  collection: CollectionReference,
  matches: readonly (readonly [string, string])[],
): Promise<DocumentData[]> => {
  const found = new Map<string, DocumentReference>();
  const data: DocumentData[] = [];
  for (const [field, value] of matches) {
    for (const doc of (await collection.where(field, "==", value).get()).docs) {
      if (found.has(doc.id)) continue;
      found.set(doc.id, doc.ref);
      data.push(doc.data());
    }
  }
  for (const ref of found.values()) await ref.delete();
  return data;
};
