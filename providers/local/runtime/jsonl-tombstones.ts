import type { ErasureTombstone, ErasureTombstoneStore } from "../../../core/ports";
import { JsonlFile } from "./jsonl-file";

/** Erasure tombstones in a JSON-lines file (the last line of a hash wins); no number in it. */
export class JsonlErasureTombstones implements ErasureTombstoneStore {
  constructor(private readonly path: string) {}

  async put(tombstone: ErasureTombstone): Promise<void> {
    const file = new JsonlFile<ErasureTombstone>(this.path);
    try {
      file.append(tombstone);
    } finally {
      file.close();
    }
  }

  async get(phoneHash: string): Promise<ErasureTombstone | undefined> {
    return JsonlFile.read<ErasureTombstone>(this.path)
      .filter((tombstone) => tombstone.phoneHash === phoneHash)
      .at(-1);
  }
}
