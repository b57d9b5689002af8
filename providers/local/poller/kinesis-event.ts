import type { KinesisStreamEvent } from "aws-lambda";
import type { ShardRecord } from "./types";

export interface EventEnvelopeContext {
  shardId: string;
  streamArn: string;
  region: string;
  functionArn: string;
}

/** Builds the event Lambda hands a Kinesis-triggered function, record by record as AWS documents it. */
export function toKinesisStreamEvent(
  records: ShardRecord[],
  context: EventEnvelopeContext,
): KinesisStreamEvent {
  return {
    Records: records.map((record) => ({
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: record.partitionKey,
        sequenceNumber: record.sequenceNumber,
        data: Buffer.from(record.data).toString("base64"),
        approximateArrivalTimestamp: record.approximateArrivalTimestamp.getTime() / 1000,
      },
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `${context.shardId}:${record.sequenceNumber}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn: context.functionArn.replace(/:function:.*/, ":role/local-poller"),
      awsRegion: context.region,
      eventSourceARN: context.streamArn,
    })),
  };
}
