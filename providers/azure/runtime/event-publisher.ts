import type { EventHubProducerClient } from "@azure/event-hubs";
import type { EventPublisher, PublishResult, StreamRecord } from "../../../core/ports";

/** The part of the SDK's producer the publisher uses (tests pass a fake of just this). */
export type EventProducer = Pick<EventHubProducerClient, "createBatch" | "sendBatch">;

/** Input indices grouped by partition key, each group in input order. */
const byPartitionKey = (records: StreamRecord[]): Map<string, number[]> => {
  const groups = new Map<string, number[]>();
  records.forEach((record, index) => {
    const group = groups.get(record.partitionKey);
    if (group) group.push(index);
    else groups.set(record.partitionKey, [index]);
  });
  return groups;
};

/**
 * Records into the Event Hub (EVENT_HUB_NAME). Event Hubs batches carry one partition key, so
 * records are grouped by key (order kept within a key) and each group sent in as few batches as fit.
 * The SDK retries transient errors itself; a batch that still fails reports its records as failed,
 * as does a record too large for an empty batch.
 */
export class EventHubsEventPublisher implements EventPublisher {
  constructor(private readonly producer: EventProducer) {}

  async publish(records: StreamRecord[]): Promise<PublishResult> {
    const failed: number[] = [];
    for (const [partitionKey, indices] of byPartitionKey(records)) {
      let batch = await this.producer.createBatch({ partitionKey });
      let inBatch: number[] = [];
      const flush = async () => {
        if (inBatch.length === 0) return;
        try {
          await this.producer.sendBatch(batch);
        } catch {
          failed.push(...inBatch);
        }
        batch = await this.producer.createBatch({ partitionKey });
        inBatch = [];
      };
      for (const index of indices) {
        const event = { body: records[index].data };
        if (batch.tryAdd(event)) {
          inBatch.push(index);
          continue;
        }
        await flush();
        if (batch.tryAdd(event)) inBatch.push(index);
        else failed.push(index);
      }
      await flush();
    }
    return { failed: failed.sort((a, b) => a - b) };
  }
}
