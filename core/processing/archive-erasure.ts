/**
 * Erasing a subscriber from the Parquet archive: every file holding one of their rows is rewritten
 * without them, under its own key (keys stay deterministic per batch). Each rewrite is conditional
 * on the version read (ETag, generation), so a batch that rewrote the file meanwhile is read again
 * rather than overwritten; keys that appeared while the scan ran are scanned too, until a pass
 * finds none new. Batches written after the tombstone drop the number themselves (archiveEvents).
 */
import type { ErasedItems, ErasureSubject, RewritableArchive, SmsEvent } from "../ports";
import { ARCHIVE_PREFIX, encodeParquet, PARQUET_CONTENT_TYPE, readArchiveObject, rowOrder } from "./archive";
import { concernsSubject } from "./erasure-subject";

/** A rewrite retried this often on a changed version before the erasure fails (then rerun it). */
const MAX_REWRITE_ATTEMPTS = 5;
/** Listing passes: the first, then re-listings for keys written while the previous pass ran. */
const MAX_PASSES = 5;

export interface ArchiveErasure extends ErasedItems {
  /** Files read (every archive file, at least once). */
  scanned: number;
}

const isSubjectRow = (subject: ErasureSubject) => (event: SmsEvent) => concernsSubject(subject, event);

/** Rewrites one file without the subject's rows; how many rows it removed (0: left untouched). */
async function eraseFromObject(
  archive: RewritableArchive,
  key: string,
  subject: ErasureSubject,
): Promise<number> {
  for (let attempt = 1; attempt <= MAX_REWRITE_ATTEMPTS; attempt++) {
    const object = await archive.getVersioned(key);
    if (!object) return 0;
    const rows = await readArchiveObject(object.body);
    const kept = rows.filter((row) => !isSubjectRow(subject)(row));
    if (kept.length === rows.length) return 0;
    // An emptied file stays, with no rows: the key keeps answering and the archive still reads.
    const body = encodeParquet(kept.sort(rowOrder));
    if (await archive.replaceIf(key, body, PARQUET_CONTENT_TYPE, object.version))
      return rows.length - kept.length;
  }
  throw new Error(
    `archive object ${key} kept changing while it was rewritten (${MAX_REWRITE_ATTEMPTS} attempts); run the erasure again`,
  );
}

export async function eraseFromArchive(
  archive: RewritableArchive,
  subject: ErasureSubject,
): Promise<ArchiveErasure> {
  const seen = new Set<string>();
  const rewritten: string[] = [];
  let removed = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fresh = (await archive.list(ARCHIVE_PREFIX)).filter((key) => !seen.has(key));
    if (fresh.length === 0) break;
    for (const key of fresh) {
      seen.add(key);
      const rows = await eraseFromObject(archive, key, subject);
      if (rows > 0) {
        removed += rows;
        rewritten.push(key);
      }
    }
  }
  return { store: "archive", removed, keys: rewritten, scanned: seen.size };
}
