import { Readable } from "node:stream";
import type { ContainerClient } from "@azure/storage-blob";

const statusOf = (error: unknown) => (error as { statusCode?: number } | null)?.statusCode;

/** What opening an uploaded audience found. */
export type AudienceBlob =
  | { kind: "found"; stream: Readable; etag?: string }
  | { kind: "missing" }
  /** The blob was uploaded again since this run began: the newer upload has its own run. */
  | { kind: "superseded" };

/**
 * Audience CSVs in their own private container (AUDIENCE_CONTAINER), at `campaigns/<id>/audience.csv`.
 * The enrollment function streams them (never buffers a whole file) and pins each chunk of a run to
 * the upload it started from by its etag.
 */
export class BlobAudienceStore {
  constructor(private readonly container: ContainerClient) {}

  async upload(key: string, csv: Uint8Array): Promise<void> {
    await this.container
      .getBlockBlobClient(key)
      .uploadData(csv, { blobHTTPHeaders: { blobContentType: "text/csv; charset=utf-8" } });
  }

  async open(key: string, etag?: string): Promise<AudienceBlob> {
    try {
      const response = await this.container
        .getBlobClient(key)
        .download(0, undefined, etag ? { conditions: { ifMatch: etag } } : {});
      const body = response.readableStreamBody;
      if (!body) return { kind: "missing" };
      const stream = body instanceof Readable ? body : Readable.from(body as AsyncIterable<Uint8Array>);
      return { kind: "found", stream, ...(response.etag ? { etag: response.etag } : {}) };
    } catch (error) {
      if (statusOf(error) === 404) return { kind: "missing" };
      if (statusOf(error) === 412) return { kind: "superseded" };
      throw error;
    }
  }
}
