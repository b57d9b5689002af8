import type { ConsentEntry, ConsentLog, ConsentRecord } from "../../../core/ports";
import { type ConsentHead, headOf } from "../../../core/processing/consent";
import { JsonlFile } from "./jsonl-file";
import { MemoryConsentLog } from "./memory/consent-log";

/**
 * The consent log in one append-only JSON-lines file of whole entries (hashes included), so the
 * evidence outlives each `smsctl journey` command and `smsctl consent` can verify it. Entries are
 * reloaded as written, never re-hashed: an edited line fails verification instead of being healed.
 * Each append also anchors the number's head in a second file (headsPathOf), so removing a
 * number's last entries, or rewriting its last entry, shows when the two disagree.
 */
export class JsonlConsentLog implements ConsentLog {
  private readonly memory = new MemoryConsentLog();
  private readonly file: JsonlFile<ConsentEntry>;
  private readonly heads: JsonlFile<ConsentHead>;

  private constructor(readonly path: string) {
    this.file = new JsonlFile(path);
    this.heads = new JsonlFile(headsPathOf(path));
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

  /**
   * A number's anchored head (its latest line in the heads file), or undefined when none was
   * anchored (a number never seen, or a log written before heads were kept).
   */
  static headOf(path: string, phoneNumber: string): ConsentHead | undefined {
    return JsonlFile.read<ConsentHead>(headsPathOf(path)).findLast(
      (head) => head.phoneNumber === phoneNumber,
    );
  }

  async append(record: ConsentRecord): Promise<ConsentEntry> {
    const { entry, created } = this.memory.appendNow(record);
    if (created) {
      this.file.append(entry);
      // After the entry: a crash in between leaves the head one behind, which verifyHead accepts.
      this.heads.append(headOf(entry));
    }
    return { ...entry };
  }

  entriesFor(phoneNumber: string): Promise<ConsentEntry[]> {
    return this.memory.entriesFor(phoneNumber);
  }

  close(): void {
    this.file.close();
    this.heads.close();
  }
}

/** Where a log's heads are anchored: consent.jsonl -> consent.heads.jsonl, next to it. */
export const headsPathOf = (path: string): string => `${path.replace(/\.jsonl$/, "")}.heads.jsonl`;
