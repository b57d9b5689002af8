import type { ArchiveStore } from "../../../core/ports";

/** The part of `@google-cloud/storage`'s Bucket the store uses, so tests can pass their own. */
export interface ArchiveBucket {
  file(name: string): {
    save(data: Buffer, options: { contentType: string; resumable: boolean }): Promise<void>;
    download(): Promise<[Buffer]>;
  };
  getFiles(query: { prefix: string; autoPaginate: boolean }): Promise<[{ name: string }[], ...unknown[]]>;
}

export interface GcsArchiveOptions {
  /** Prepended to every key (and stripped from listings); default none. */
  keyPrefix?: string;
}

const isNotFound = (error: unknown) => (error as { code?: unknown } | undefined)?.code === 404;

/**
 * Archive objects in Cloud Storage. Keys are deterministic per batch, so a retried batch
 * overwrites its own object (single-request uploads: Parquet batches are small).
 */
export class GcsArchiveStore implements ArchiveStore {
  private readonly prefix: string;

  constructor(
    private readonly bucket: ArchiveBucket,
    options: GcsArchiveOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? "";
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.bucket.file(this.prefix + key).save(Buffer.from(body), { contentType, resumable: false });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const [contents] = await this.bucket.file(this.prefix + key).download();
      return new Uint8Array(contents);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const [files] = await this.bucket.getFiles({ prefix: this.prefix + prefix, autoPaginate: true });
    return files.map((file) => file.name.slice(this.prefix.length)).sort();
  }
}
