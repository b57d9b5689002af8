import type { ContainerClient } from "@azure/storage-blob";
import type { RewritableArchive, VersionedArchiveObject } from "../../../core/ports";

export interface BlobArchiveOptions {
  /** Prepended to every key (and stripped from listed keys), like the S3 adapter's keyPrefix. */
  keyPrefix?: string;
}

const statusOf = (error: unknown) => (error as { statusCode?: number } | null)?.statusCode;
const isNotFound = (error: unknown) => statusOf(error) === 404;

/**
 * The archive in a private Blob Storage container (ARCHIVE_CONTAINER). Keys are deterministic per
 * batch, so a retried batch overwrites its own blob; listings come back in lexicographic order.
 */
export class BlobArchiveStore implements RewritableArchive {
  private readonly keyPrefix: string;

  constructor(
    private readonly container: ContainerClient,
    options: BlobArchiveOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? "";
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.container
      .getBlockBlobClient(this.keyPrefix + key)
      .uploadData(body, { blobHTTPHeaders: { blobContentType: contentType } });
  }

  /** One download request (downloadToBuffer asks for the properties first). */
  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.getVersioned(key))?.body;
  }

  async getVersioned(key: string): Promise<VersionedArchiveObject | undefined> {
    try {
      const download = await this.container.getBlockBlobClient(this.keyPrefix + key).download();
      const chunks: Buffer[] = [];
      for await (const chunk of download.readableStreamBody ?? []) chunks.push(Buffer.from(chunk as Buffer));
      return { body: new Uint8Array(Buffer.concat(chunks)), version: download.etag ?? "" };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Rewrites the blob only while its ETag is still `version` (If-Match); 412 = someone wrote it since. */
  async replaceIf(
    key: string,
    body: Uint8Array,
    contentType: string,
    version: string,
  ): Promise<string | undefined> {
    try {
      const written = await this.container.getBlockBlobClient(this.keyPrefix + key).uploadData(body, {
        blobHTTPHeaders: { blobContentType: contentType },
        conditions: { ifMatch: version },
      });
      return written.etag ?? "";
    } catch (error) {
      if (statusOf(error) === 412 || isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: this.keyPrefix + prefix })) {
      keys.push(blob.name.slice(this.keyPrefix.length));
    }
    return keys.sort();
  }
}
