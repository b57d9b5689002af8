import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import type { Clock, EventPublisher, PublishResult, StreamRecord } from "../../../core/ports";

/** PutRecords limits: 500 records and 5 MiB (data plus partition keys) per request. */
export const MAX_RECORDS_PER_REQUEST = 500;
export const MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;

export interface KinesisPublisherOptions {
  /** Attempts per record, the first included. */
  maxAttempts?: number;
  /** Backoff before retry n (1-based) is baseDelayMs * 2^(n-1), with full jitter. */
  baseDelayMs?: number;
  random?: () => number;
  /** Told about whole-request errors (which are retried like per-record failures). */
  onRequestError?: (error: unknown) => void;
}

const sizeOf = (record: StreamRecord) => record.data.byteLength + Buffer.byteLength(record.partitionKey);

/** Splits indices into PutRecords-sized requests, preserving order. */
export const chunkForPutRecords = (
  records: readonly StreamRecord[],
  indices: readonly number[],
): number[][] => {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const index of indices) {
    const size = sizeOf(records[index]);
    if (
      current.length > 0 &&
      (current.length === MAX_RECORDS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/**
 * Publishes into a Kinesis stream with PutRecords. Only the records that failed (per-record
 * ErrorCode, or the whole request on a thrown error) are retried, with bounded attempts and
 * jittered exponential backoff; the indices still failing at the end are returned.
 */
export class KinesisEventPublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly random: () => number;
  private readonly onRequestError: (error: unknown) => void;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    private readonly clock: Clock,
    options: KinesisPublisherOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.random = options.random ?? Math.random;
    this.onRequestError = options.onRequestError ?? (() => {});
  }

  async publish(records: StreamRecord[]): Promise<PublishResult> {
    let pending = records.map((_, index) => index);
    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await this.clock.sleep(this.backoff(attempt - 1));
      const stillFailing: number[] = [];
      for (const chunk of chunkForPutRecords(records, pending)) {
        stillFailing.push(...(await this.putChunk(records, chunk)));
      }
      pending = stillFailing;
    }
    return { failed: pending };
  }

  private backoff(retry: number): number {
    return Math.floor(this.random() * this.baseDelayMs * 2 ** (retry - 1));
  }

  /** Indices (into `records`) of the chunk's records that did not make it. */
  private async putChunk(records: readonly StreamRecord[], chunk: number[]): Promise<number[]> {
    const entries: PutRecordsRequestEntry[] = chunk.map((index) => ({
      PartitionKey: records[index].partitionKey,
      Data: records[index].data,
    }));
    try {
      const response = await this.kinesis.send(
        new PutRecordsCommand({ StreamName: this.streamName, Records: entries }),
      );
      if (!response.FailedRecordCount) return [];
      // Results are positional: entry i of the response answers entry i of the request.
      return chunk.filter((_, position) => response.Records?.[position]?.ErrorCode !== undefined);
    } catch (error) {
      // Throttled or unreachable as a whole: every record of the chunk gets another attempt.
      this.onRequestError(error);
      return chunk;
    }
  }
}
