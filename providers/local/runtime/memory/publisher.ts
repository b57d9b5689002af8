import type { EventPublisher, PublishResult, StreamRecord } from "../../../../core/ports";

/** Keeps every published record in order; `failNext` makes the next publish report failures. */
export class MemoryEventPublisher implements EventPublisher {
  readonly records: StreamRecord[] = [];
  private failIndices: number[] = [];

  async publish(records: StreamRecord[]): Promise<PublishResult> {
    const failed = this.failIndices.filter((i) => i < records.length);
    this.failIndices = [];
    records.forEach((record, i) => {
      if (!failed.includes(i))
        this.records.push({ partitionKey: record.partitionKey, data: record.data.slice() });
    });
    return { failed };
  }

  /** The next publish call reports these input indices as failed (and does not keep them). */
  failNext(indices: number[]): void {
    this.failIndices = [...indices];
  }

  /** Removes and returns everything published so far, like a consumer reading the stream. */
  drain(): StreamRecord[] {
    return this.records.splice(0, this.records.length);
  }
}
