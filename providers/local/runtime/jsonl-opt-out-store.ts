import type { OptOutStore } from "../../../core/ports";
import { JsonlFile } from "./jsonl-file";
import { MemoryOptOutStore } from "./memory/opt-outs";

type OptOutLine =
  | { op: "out"; phoneNumber: string; at: string; sourceEventId: string }
  | { op: "in"; phoneNumber: string };

/**
 * An OptOutStore in one append-only JSON-lines file, so a STOP given to one `smsctl journey` command
 * holds for every later command on the same state directory. Rules are the in-memory store's.
 */
export class JsonlOptOutStore implements OptOutStore {
  private readonly memory = new MemoryOptOutStore();
  private readonly file: JsonlFile<OptOutLine>;

  private constructor(readonly path: string) {
    this.file = new JsonlFile(path);
  }

  static async open(path: string): Promise<JsonlOptOutStore> {
    const lines = JsonlFile.read<OptOutLine>(path);
    const store = new JsonlOptOutStore(path);
    for (const line of lines) {
      if (line.op === "out") await store.memory.optOut(line.phoneNumber, line.at, line.sourceEventId);
      else await store.memory.optIn(line.phoneNumber);
    }
    return store;
  }

  async optOut(phoneNumber: string, at: string, sourceEventId: string): Promise<boolean> {
    const wasOut = await this.memory.isOptedOut(phoneNumber);
    const first = await this.memory.optOut(phoneNumber, at, sourceEventId);
    if (!wasOut) this.file.append({ op: "out", phoneNumber, at, sourceEventId });
    return first;
  }

  async optIn(phoneNumber: string): Promise<boolean> {
    const changed = await this.memory.optIn(phoneNumber);
    if (changed) this.file.append({ op: "in", phoneNumber });
    return changed;
  }

  isOptedOut(phoneNumber: string): Promise<boolean> {
    return this.memory.isOptedOut(phoneNumber);
  }

  close(): void {
    this.file.close();
  }
}
