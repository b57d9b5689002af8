import type { KinesisStreamEvent } from "aws-lambda";

/** One record read from a shard, as GetRecords returns it. */
export interface ShardRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  approximateArrivalTimestamp: Date;
}

/** Where a shard reader resumes: from the oldest record, or just after a checkpointed sequence number. */
export type ShardPosition =
  | { type: "TRIM_HORIZON" }
  | { type: "AFTER_SEQUENCE_NUMBER"; sequenceNumber: string };

export interface ShardRead {
  records: ShardRecord[];
  /** Pass back to the next read to continue where this one stopped. */
  cursor: unknown;
  millisBehindLatest: number;
  /** Answered without asking the stream (a cache's "nothing new"): never proof that a shard is drained. */
  stale?: boolean;
  /** On a stale answer: when the read that last found the shard drained began (ms since epoch). */
  drainedAsOf?: number;
}

/** The reads an event source mapping makes against a stream (Kinesis ListShards / GetShardIterator / GetRecords). */
export interface ShardSource {
  readonly streamArn: string;
  listShards(): Promise<string[]>;
  open(shardId: string, from: ShardPosition): Promise<unknown>;
  /** `fresh` asks the stream itself, never a cache (a settle needs proof that the shard is drained). */
  read(shardId: string, cursor: unknown, limit: number, options?: { fresh?: boolean }): Promise<ShardRead>;
}

/** A Lambda function as the event source mapping invokes it. */
/** The response is read as Lambda reads it: a `batchItemFailures` list, anything else counts as success. */
export type StreamHandler = (event: KinesisStreamEvent) => Promise<unknown>;

/** What Lambda sends to an on-failure destination for a Kinesis batch it gave up on. */
export interface FailedBatchRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: "RetryAttemptsExhausted" | "RecordAgeExceeded";
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: "1.0";
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface OnFailureDestination {
  send(record: FailedBatchRecord): Promise<void>;
}
