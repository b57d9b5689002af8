import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import type { ShardPosition, ShardRead, ShardSource } from "./types";

/** ShardSource over a Kinesis API endpoint (kinesis-local here, the same calls Lambda's pollers make). */
export class KinesisShardSource implements ShardSource {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    readonly streamArn: string,
  ) {}

  async listShards(): Promise<string[]> {
    const shards: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: this.streamName }),
      );
      for (const shard of page.Shards ?? []) if (shard.ShardId) shards.push(shard.ShardId);
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  }

  async open(shardId: string, from: ShardPosition): Promise<unknown> {
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: this.streamName,
        ShardId: shardId,
        ShardIteratorType: from.type,
        StartingSequenceNumber: from.type === "AFTER_SEQUENCE_NUMBER" ? from.sequenceNumber : undefined,
      }),
    );
    return ShardIterator;
  }

  async read(_shardId: string, cursor: unknown, limit: number): Promise<ShardRead> {
    const page = await this.client.send(
      new GetRecordsCommand({ ShardIterator: cursor as string, Limit: limit }),
    );
    return {
      records: (page.Records ?? []).map((record) => ({
        sequenceNumber: record.SequenceNumber!,
        partitionKey: record.PartitionKey!,
        data: record.Data!,
        approximateArrivalTimestamp: record.ApproximateArrivalTimestamp ?? new Date(),
      })),
      // A closed shard returns no next iterator: keep the old one, reads then come back empty.
      cursor: page.NextShardIterator ?? cursor,
      millisBehindLatest: page.MillisBehindLatest ?? 0,
    };
  }
}
