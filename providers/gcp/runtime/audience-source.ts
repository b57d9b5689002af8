import type { Readable } from "node:stream";

/** The part of `@google-cloud/storage`'s Bucket the audience reader uses, so tests can pass their own. */
export interface AudienceBucket {
  name: string;
  file(name: string, options?: { generation?: number | string }): { createReadStream(): Readable };
}

/**
 * Audience CSVs in the stack's audience bucket, streamed (never loaded whole). A chunk reads the
 * generation its upload started with, so a re-upload mid-enrollment cannot shift the lines under it.
 */
export class GcsAudienceSource {
  constructor(private readonly bucket: AudienceBucket) {}

  get bucketName(): string {
    return this.bucket.name;
  }

  open(name: string, generation?: string): Readable {
    return this.bucket.file(name, generation ? { generation } : {}).createReadStream();
  }
}
