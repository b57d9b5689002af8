import type { Readable } from "node:stream";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import * as z from "zod/mini";

/** One chunk of an uploaded audience: where it is, and the CSV line the chunk starts at. */
export const EnrollmentChunkSchema = z.object({
  bucket: z.string().check(z.minLength(1)),
  key: z.string().check(z.minLength(1)),
  /** Absent for the first chunk (the upload's own S3 event). */
  fromLine: z.optional(z.int().check(z.gte(1))),
});
export type EnrollmentChunkRequest = z.infer<typeof EnrollmentChunkSchema>;

/** Where the next chunk is handed on to. */
export interface ChunkQueue {
  enqueue(chunk: EnrollmentChunkRequest): Promise<void>;
}

/** The chunk queue on SQS; the enrollment function consumes it (batch size 1). */
export class SqsChunkQueue implements ChunkQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(chunk: EnrollmentChunkRequest): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(chunk) }),
    );
  }
}

/** Opens an uploaded audience as a stream (read from the top: core finds duplicates across chunks). */
export type AudienceOpener = (bucket: string, key: string) => Promise<Readable>;

export const s3AudienceOpener =
  (s3: S3Client): AudienceOpener =>
  async (bucket, key) => {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
    // In Node the SDK's body is an http.IncomingMessage, a Readable.
    return Body as Readable;
  };
