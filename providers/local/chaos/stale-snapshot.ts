/**
 * kinesis-local's snapshot as it stood when the crash was armed, put back while the emulator is
 * down. A SIGKILL loses what the emulator acknowledged after its newest snapshot (PERSIST_INTERVAL),
 * which a quiet second can make nothing at all. The crash instead waits for the acknowledgement of
 * a request sent after this snapshot was kept, and restarts the emulator from it: those records are
 * lost every time, so the put-back path is always exercised.
 */
import { readFile, rm, writeFile } from "node:fs/promises";

/** How often `keep` reads again a snapshot caught half-written. */
const HALF_WRITTEN_RETRIES = 20;
const RETRY_MS = 50;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

const parses = (bytes: Buffer) => {
  try {
    JSON.parse(bytes.toString("utf8"));
    return true;
  } catch {
    return false;
  }
};

export class StaleSnapshot {
  /** undefined: not kept yet; null: kept before the first snapshot was written. */
  private kept: Buffer | null | undefined;
  /** When `keep` finished (epoch ms): no request sent after it can be in the kept snapshot. */
  keptAt = Number.POSITIVE_INFINITY;

  constructor(private readonly file: string) {}

  get armed(): boolean {
    return this.kept !== undefined;
  }

  /** Keeps the snapshot as it is now (none, if the emulator has not written one yet). */
  async keep(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let bytes: Buffer;
      try {
        bytes = await readFile(this.file);
      } catch (error) {
        if (!isMissing(error)) throw error;
        this.kept = null;
        this.keptAt = Date.now();
        return;
      }
      if (parses(bytes) || attempt >= HALF_WRITTEN_RETRIES) {
        this.kept = parses(bytes) ? bytes : null;
        this.keptAt = Date.now();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  /** While the emulator is down: the restart finds the kept snapshot (or none). */
  async restore(): Promise<void> {
    if (this.kept === undefined) return;
    if (this.kept === null) await rm(this.file, { force: true });
    else await writeFile(this.file, this.kept);
  }
}
