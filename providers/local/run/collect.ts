/** Reads back what the archive function left behind: its Parquet files. */
import type { SmsEvent } from "../../../core/events/schema";
import type { ArchiveStore } from "../../../core/ports";
import { ARCHIVE_PREFIX, readArchiveObject } from "../../../core/processing/archive";
import { DirectoryArchive } from "../runtime/directory-archive";

export interface DownloadedArchive {
  files: number;
  /** Every row of every file, as the archive handler wrote it. */
  events: SmsEvent[];
}

/**
 * Copies every archive object into `dir` under its own key (the bucket's layout, events/dt=.../),
 * so `smsctl replay --dir` reads it as it would read the bucket, and reads its rows.
 */
export async function downloadArchive(archive: ArchiveStore, dir: string): Promise<DownloadedArchive> {
  const keys = await archive.list(ARCHIVE_PREFIX);
  const mirror = new DirectoryArchive(dir);
  const events: SmsEvent[] = [];
  for (const key of keys) {
    const body = await archive.get(key);
    if (!body) continue;
    await mirror.put(key, body);
    events.push(...(await readArchiveObject(body)));
  }
  return { files: keys.length, events };
}

/** A stack's dead letter, as every cloud's local run counts it. */
export interface DeadLetterCounts {
  /** Records a function could not decode and sent to the dead letter itself, by consumer. */
  undecodable: Record<string, number>;
  /** Records in batches the trigger gave up on (on-failure destination, max deliveries), by consumer. */
  abandoned: Record<string, number>;
  messages: number;
}

export const emptyDeadLetterCounts = (): DeadLetterCounts => ({
  undecodable: {},
  abandoned: {},
  messages: 0,
});

export const countDeadLetter = (counts: Record<string, number>, consumer: string, by: number) => {
  counts[consumer] = (counts[consumer] ?? 0) + by;
};
