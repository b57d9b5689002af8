import type { EventPublisher, PublishResult, StreamRecord } from "../../../core/ports";
import type { PublishingTopic } from "./pubsub-topic";

/**
 * Records into the events topic with the partition key as the ordering key, so one person's
 * events reach each consumer in order (the topic client must be created with messageOrdering).
 * Records are published concurrently; a failed record is reported by index, and its ordering key
 * resumed so later publishes for that person are not refused.
 */
export class PubSubEventPublisher implements EventPublisher {
  constructor(private readonly topic: PublishingTopic) {}

  async publish(records: StreamRecord[]): Promise<PublishResult> {
    const outcomes = await Promise.allSettled(
      records.map((record) =>
        this.topic.publishMessage({ data: Buffer.from(record.data), orderingKey: record.partitionKey }),
      ),
    );
    const failed: number[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === "fulfilled") return;
      failed.push(index);
      this.topic.resumePublishing?.(records[index].partitionKey);
    });
    return { failed };
  }
}
