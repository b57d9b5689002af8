import type { RewritableArchive, VersionedArchiveObject } from "../../../core/ports";

/** The part of `@google-cloud/storage`'s Bucket the store uses, so tests can pass their own. */
export interface ArchiveBucket {
  file(name: string): {
    save(
      data: Buffer,
      options: {
        contentType: string;
        resumable: boolean;
        preconditionOpts?: { ifGenerationMatch: number };
      },
    ): Promise<void>;
    download(): Promise<[Buffer]>;
    getMetadata(): Promise<[{ generation?: string | number }, ...unknown[]]>;
    metadata?: { generation?: string | number };
  };
  getFiles(query: { prefix: string; autoPaginate: boolean }): Promise<[{ name: string }[], ...unknown[]]>;
}

export interface GcsArchiveOptions {
  /** Prepended to every key (and stripped from listings); default none. */
  keyPrefix?: string;
}

const codeOf = (error: unknown) => (error as { code?: unknown } | undefined)?.code;
const isNotFound = (error: unknown) => codeOf(error) === 404;

/**
 * Archive objects in Cloud Storage. Keys are deterministic per batch, so a retried batch
 * overwrites its own object (single-request uploads: Parquet batches are small).
 */
export class GcsArchiveStore implements RewritableArchive {
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

  /** The generation first, then the bytes: a write in between makes the rewrite's precondition fail. */
  async getVersioned(key: string): Promise<VersionedArchiveObject | undefined> {
    const file = this.bucket.file(this.prefix + key);
    try {
      const [metadata] = await file.getMetadata();
      const [contents] = await file.download();
      return { body: new Uint8Array(contents), version: String(metadata.generation ?? "") };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Rewrites the object only at the generation read (ifGenerationMatch); 412 = written since. */
  async replaceIf(
    key: string,
    body: Uint8Array,
    contentType: string,
    version: string,
  ): Promise<string | undefined> {
    const file = this.bucket.file(this.prefix + key);
    try {
      await file.save(Buffer.from(body), {
        contentType,
        resumable: false,
        preconditionOpts: { ifGenerationMatch: Number(version) },
      });
    } catch (error) {
      if (codeOf(error) === 412 || isNotFound(error)) return undefined;
      throw error;
    }
    return String(file.metadata?.generation ?? (await file.getMetadata())[0].generation ?? "");
  }

  async list(prefix: string): Promise<string[]> {
    const [files] = await this.bucket.getFiles({ prefix: this.prefix + prefix, autoPaginate: true });
    return files.map((file) => file.name.slice(this.prefix.length)).sort();
  }
}
