import type { ConsentEntry, ConsentLog, ConsentRecord } from "../../../core/ports";
import { JsonlFile } from "./jsonl-file";
import { MemoryConsentLog } from "./memory/consent-log";

/**
 * The consent log in one append-only JSON-lines file of whole entries (hashes included), so the
 * evidence outlives each `smsctl journey` command and `smsctl consent` can verify it. Entries are
 * reloaded as written, never re-hashed: an edited line fails verification instead of being healed.
 */
export class JsonlConsentLog implements ConsentLog {
  private readonly memory = new MemoryConsentLog();
  private readonly file: JsonlFile<ConsentEntry>;

  private constructor(readonly path: string) {
    this.file = new JsonlFile(path);
  }

  static async open(path: string): Promise<JsonlConsentLog> {
    const log = new JsonlConsentLog(path);
    for (const entry of JsonlConsentLog.read(path)) log.memory.restore(entry);
    return log;
  }

  /** The file's entries without opening it for writing (for export and verification). */
  static read(path: string): ConsentEntry[] {
    return JsonlFile.read<ConsentEntry>(path);
  }

  async append(record: ConsentRecord): Promise<ConsentEntry> {
    const { entry, created } = this.memory.appendNow(record);
    if (created) this.file.append(entry);
    return { ...entry };
  }

  entriesFor(phoneNumber: string): Promise<ConsentEntry[]> {
    return this.memory.entriesFor(phoneNumber);
  }

  close(): void {
    this.file.close();
  }
}
