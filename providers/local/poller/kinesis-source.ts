import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import type { ShardPosition, ShardRead, ShardSource } from "./types";

/** Errors Kinesis answers when a shard or the account is over its read limits. */
const THROTTLING = new Set(["ProvisionedThroughputExceededException", "LimitExceededException"]);
const MAX_THROTTLE_BACKOFF_MS = 1_000;

export const isKinesisThrottling = (error: unknown): boolean =>
  error instanceof Error && THROTTLING.has(error.name);

/**
 * ShardSource over a Kinesis API endpoint (kinesis-local here, the same calls Lambda's pollers
 * make). Like Lambda's pollers, it keeps retrying a throttled call (backing off up to a second)
 * rather than giving up on the shard; any other error still surfaces.
 */
export class KinesisShardSource implements ShardSource {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    readonly streamArn: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  private async untilNotThrottled<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isKinesisThrottling(error)) throw error;
        await this.sleep(Math.min(MAX_THROTTLE_BACKOFF_MS, 50 * 2 ** attempt));
      }
    }
  }

  async listShards(): Promise<string[]> {
    const shards: string[] = [];
    let nextToken: string | undefined;
    do {
      const request = nextToken ? { NextToken: nextToken } : { StreamName: this.streamName };
      const page = await this.untilNotThrottled(() => this.client.send(new ListShardsCommand(request)));
      for (const shard of page.Shards ?? []) if (shard.ShardId) shards.push(shard.ShardId);
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  }

  async open(shardId: string, from: ShardPosition): Promise<unknown> {
    const { ShardIterator } = await this.untilNotThrottled(() =>
      this.client.send(
        new GetShardIteratorCommand({
          StreamName: this.streamName,
          ShardId: shardId,
          ShardIteratorType: from.type,
          StartingSequenceNumber: from.type === "AFTER_SEQUENCE_NUMBER" ? from.sequenceNumber : undefined,
        }),
      ),
    );
    return ShardIterator;
  }

  async read(_shardId: string, cursor: unknown, limit: number): Promise<ShardRead> {
    const page = await this.untilNotThrottled(() =>
      this.client.send(new GetRecordsCommand({ ShardIterator: cursor as string, Limit: limit })),
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
