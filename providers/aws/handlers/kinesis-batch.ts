import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Logger } from "@aws-lambda-powertools/logger";
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from "aws-lambda";
import type { Clock, DeadLetter } from "../../../core/ports";
import {
  type BatchConsumer,
  type BatchOutcome,
  type BatchRecord,
  runBatch,
} from "../../../core/processing/batch";

/** The trigger's records as core sees them: sequence number, raw bytes, arrival time. */
export const toBatchRecords = (event: KinesisStreamEvent): BatchRecord[] =>
  event.Records.map((record) => ({
    id: record.kinesis.sequenceNumber,
    raw: new Uint8Array(Buffer.from(record.kinesis.data, "base64")),
    receivedAt: new Date(record.kinesis.approximateArrivalTimestamp * 1000).toISOString(),
  }));

/** "responses:shardId-000000000000": dead-letter entries add "/<sequence number>". */
export const sourceOf = (consumer: string, event: KinesisStreamEvent): string => {
  const shard = event.Records[0]?.eventID.split(":")[0] ?? "unknown-shard";
  return `${consumer}:${shard}`;
};

/** Thrown inside the record handler for records core reported as failed, so Powertools reports them. */
class RecordFailed extends Error {
  override name = "RecordFailed";
}

export interface KinesisBatchDeps {
  consumer: string;
  deadLetter: DeadLetter;
  clock: Clock;
  logger: Logger;
  /** Called with the batch's outcome before it is reported (for operational metrics). */
  onOutcome?: (outcome: BatchOutcome) => void;
}

export interface KinesisBatchResult {
  response: KinesisStreamBatchResponse;
  outcome: BatchOutcome;
}

/**
 * One Kinesis batch: core's runBatch decodes, dead-letters undecodable records (handled, never
 * retried) and runs the consumer in order; Powertools' BatchProcessor then turns the failed
 * records into `batchItemFailures` (and throws FullBatchFailureError when every record failed,
 * so Lambda retries or bisects the batch). Records are reported sequentially, in shard order.
 */
export const runKinesisBatch = async (
  event: KinesisStreamEvent,
  consumer: BatchConsumer,
  deps: KinesisBatchDeps,
  context?: Context,
): Promise<KinesisBatchResult> => {
  const outcome = await runBatch(toBatchRecords(event), consumer, {
    deadLetter: deps.deadLetter,
    clock: deps.clock,
    source: sourceOf(deps.consumer, event),
    onError: (recordIds, error) => deps.logger.error("records failed", { recordIds, error }),
  });
  deps.onOutcome?.(outcome);
  const failed = new Set(outcome.failedIds);
  const response = await processPartialResponse(
    event,
    async (record: KinesisStreamRecord) => {
      if (failed.has(record.kinesis.sequenceNumber)) {
        throw new RecordFailed(`record ${record.kinesis.sequenceNumber} failed`);
      }
    },
    new BatchProcessor(EventType.KinesisDataStreams),
    { processInParallel: false, ...(context ? { context } : {}) },
  );
  return { response: response as KinesisStreamBatchResponse, outcome };
};
