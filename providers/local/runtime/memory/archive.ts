import type { RewritableArchive, VersionedArchiveObject } from "../../../../core/ports";

export interface ArchivedObject {
  body: Uint8Array;
  contentType: string;
  /** Bumped on every write, like an ETag: conditional rewrites compare it. */
  version: number;
}

export class MemoryArchiveStore implements RewritableArchive {
  readonly objects = new Map<string, ArchivedObject>();
  /** Number of put calls, overwrites included: shows a retried batch rewrote rather than added. */
  puts = 0;

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    this.puts++;
    const version = (this.objects.get(key)?.version ?? 0) + 1;
    this.objects.set(key, { body: body.slice(), contentType, version });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key)?.body.slice();
  }

  async getVersioned(key: string): Promise<VersionedArchiveObject | undefined> {
    const object = this.objects.get(key);
    return object && { body: object.body.slice(), version: String(object.version) };
  }

  async replaceIf(
    key: string,
    body: Uint8Array,
    contentType: string,
    version: string,
  ): Promise<string | undefined> {
    if (String(this.objects.get(key)?.version) !== version) return undefined;
    await this.put(key, body, contentType);
    return String(this.objects.get(key)?.version);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}
