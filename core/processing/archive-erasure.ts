/**
 * Erasing a subscriber from the Parquet archive: every file holding one of their rows is rewritten
 * without them, under its own key (keys stay deterministic per batch). Each rewrite is conditional
 * on the version read (ETag, generation), so a batch that rewrote the file meanwhile is read again
 * rather than overwritten. Then the scan checks its own work: keys that appeared while it ran are
 * scanned, and a rewritten file whose version moved since (a retried batch that read no tombstone
 * yet) is erased again, until a pass finds nothing. Batches written after the tombstone drop the
 * number themselves (archiveEvents).
 */
import type { ErasedItems, ErasureSubject, RewritableArchive } from "../ports";
import { ARCHIVE_PREFIX, encodeParquet, PARQUET_CONTENT_TYPE, readArchiveObject, rowOrder } from "./archive";
import { concernsSubject } from "./erasure-subject";

/** A rewrite retried this often on a changed version before the erasure fails (then rerun it). */
const MAX_REWRITE_ATTEMPTS = 5;
/** Passes: the first, then checks for new keys and for rewritten files written again since. */
const MAX_PASSES = 5;

export interface ArchiveErasure extends ErasedItems {
  /** Files read (every archive file, at least once). */
  scanned: number;
}

/**
 * Rewrites one file without the subject's rows: how many it removed and the version written
 * (removed 0: the file held none, left untouched).
 */
async function eraseFromObject(
  archive: RewritableArchive,
  key: string,
  subject: ErasureSubject,
): Promise<{ removed: number; version?: string }> {
  for (let attempt = 1; attempt <= MAX_REWRITE_ATTEMPTS; attempt++) {
    const object = await archive.getVersioned(key);
    if (!object) return { removed: 0 };
    const rows = await readArchiveObject(object.body);
    const kept = rows.filter((row) => !concernsSubject(subject, row));
    if (kept.length === rows.length) return { removed: 0, version: object.version };
    // An emptied file stays, with no rows: the key keeps answering and the archive still reads.
    const body = encodeParquet(kept.sort(rowOrder));
    const version = await archive.replaceIf(key, body, PARQUET_CONTENT_TYPE, object.version);
    if (version !== undefined) return { removed: rows.length - kept.length, version };
  }
  throw new Error(
    `archive object ${key} kept changing while it was rewritten (${MAX_REWRITE_ATTEMPTS} attempts); run the erasure again`,
  );
}

export async function eraseFromArchive(
  archive: RewritableArchive,
  subject: ErasureSubject,
): Promise<ArchiveErasure> {
  const scanned = new Set<string>();
  /** Rewritten keys and the version this erasure left them at. */
  const written = new Map<string, string | undefined>();
  let removed = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fresh = (await archive.list(ARCHIVE_PREFIX)).filter((key) => !scanned.has(key));
    const moved: string[] = [];
    for (const [key, version] of written) {
      if ((await archive.getVersioned(key))?.version !== version) moved.push(key);
    }
    if (fresh.length === 0 && moved.length === 0) break;
    for (const key of [...fresh, ...moved]) {
      scanned.add(key);
      const result = await eraseFromObject(archive, key, subject);
      if (result.removed > 0 || written.has(key)) written.set(key, result.version);
      removed += result.removed;
    }
  }
  return { store: "archive", removed, keys: [...written.keys()].sort(), scanned: scanned.size };
}
