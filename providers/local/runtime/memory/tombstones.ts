import type { ErasureTombstone, ErasureTombstoneStore } from "../../../../core/ports";

export class MemoryErasureTombstones implements ErasureTombstoneStore {
  readonly tombstones = new Map<string, ErasureTombstone>();

  async put(tombstone: ErasureTombstone): Promise<void> {
    this.tombstones.set(tombstone.phoneHash, structuredClone(tombstone));
  }

  async get(phoneHash: string): Promise<ErasureTombstone | undefined> {
    const found = this.tombstones.get(phoneHash);
    return found && structuredClone(found);
  }
}
