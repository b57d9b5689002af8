import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { RewritableArchive, VersionedArchiveObject } from "../../../core/ports";

export interface S3ArchiveOptions {
  /** Server-side encryption header; absent = the bucket's default encryption. */
  serverSideEncryption?: "AES256" | "aws:kms";
  kmsKeyId?: string;
  /** Prepended to every key (e.g. "sms/"), invisible to callers: list() returns keys without it. */
  keyPrefix?: string;
}

/** S3's answer to a conditional write whose ETag no longer matches (412). */
const isPreconditionFailed = (error: unknown) => {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return failure?.name === "PreconditionFailed" || failure?.$metadata?.httpStatusCode === 412;
};

const isMissing = (error: unknown) =>
  error instanceof NoSuchKey || (error as { name?: string } | undefined)?.name === "NoSuchKey";

/**
 * Archive objects in one S3 bucket; keys are deterministic per batch, so a put simply overwrites.
 * An erasure's rewrite is conditional on the ETag it read (PutObject If-Match, which S3 enforces).
 */
export class S3ArchiveStore implements RewritableArchive {
  private readonly keyPrefix: string;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly options: S3ArchiveOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? "";
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.write(key, body, contentType);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.getVersioned(key))?.body;
  }

  async getVersioned(key: string): Promise<VersionedArchiveObject | undefined> {
    try {
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + key }),
      );
      const body = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      return { body, version: object.ETag ?? "" };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async replaceIf(
    key: string,
    body: Uint8Array,
    contentType: string,
    version: string,
  ): Promise<string | undefined> {
    try {
      return await this.write(key, body, contentType, version);
    } catch (error) {
      if (isPreconditionFailed(error) || isMissing(error)) return undefined;
      throw error;
    }
  }

  /** The ETag written. */
  private async write(key: string, body: Uint8Array, contentType: string, ifMatch?: string): Promise<string> {
    const written = await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyPrefix + key,
        Body: body,
        ContentType: contentType,
        ...(ifMatch === undefined ? {} : { IfMatch: ifMatch }),
        ...(this.options.serverSideEncryption
          ? { ServerSideEncryption: this.options.serverSideEncryption }
          : {}),
        ...(this.options.kmsKeyId ? { SSEKMSKeyId: this.options.kmsKeyId } : {}),
      }),
    );
    return written.ETag ?? "";
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const input = { Bucket: this.bucket, Prefix: this.keyPrefix + prefix };
    for await (const page of paginateListObjectsV2({ client: this.s3 }, input)) {
      for (const object of page.Contents ?? []) {
        if (object.Key) keys.push(object.Key.slice(this.keyPrefix.length));
      }
    }
    // S3 already lists in UTF-8 binary order; sorting keeps the promise on other implementations.
    return keys.sort();
  }
}
