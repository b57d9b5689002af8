import type { ArchiveStore } from "../../../../core/ports";

export interface ArchivedObject {
  body: Uint8Array;
  contentType: string;
}

export class MemoryArchiveStore implements ArchiveStore {
  readonly objects = new Map<string, ArchivedObject>();
  /** Number of put calls, overwrites included: shows a retried batch rewrote rather than added. */
  puts = 0;

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    this.puts++;
    this.objects.set(key, { body: body.slice(), contentType });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key)?.body.slice();
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}
