import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SmsEvent } from "../../core/events/schema";
import { ARCHIVE_PREFIX, readArchiveObject } from "../../core/processing/archive";

/** Every row of the Parquet archive a local run left in `dir` (the bucket's layout). */
export async function downloadedEvents(dir: string): Promise<SmsEvent[]> {
  const root = join(dir, ARCHIVE_PREFIX);
  const events: SmsEvent[] = [];
  for (const partition of readdirSync(root))
    for (const file of readdirSync(join(root, partition)))
      events.push(...(await readArchiveObject(readFileSync(join(root, partition, file)))));
  return events;
}
