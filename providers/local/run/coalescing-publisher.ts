/**
 * Gathers the records of many concurrent `publish` calls (the campaign publishes one event per
 * message) into PutRecords-sized requests, one request in flight at a time so per-shard order is
 * the order of the calls. Each caller still learns which of its own records failed.
 */
import type { EventPublisher, PublishResult, StreamRecord } from "../../../core/ports";

interface Waiting {
  records: StreamRecord[];
  resolve: (result: PublishResult) => void;
  reject: (error: unknown) => void;
}

export class CoalescingPublisher implements EventPublisher {
  private waiting: Waiting[] = [];
  private draining: Promise<void> | undefined;
  private publishedCount = 0;
  private failedCount = 0;

  constructor(
    private readonly inner: EventPublisher,
    private readonly maxRecordsPerRequest = 500,
  ) {}

  /** Records the stream accepted so far. */
  get published(): number {
    return this.publishedCount;
  }

  get failed(): number {
    return this.failedCount;
  }

  publish(records: StreamRecord[]): Promise<PublishResult> {
    if (records.length === 0) return Promise.resolve({ failed: [] });
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      this.draining ??= this.drain().finally(() => {
        this.draining = undefined;
      });
    });
  }

  /** Resolves once everything handed over so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the other workers of this tick add their records to the same request.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const group: Waiting[] = [];
      let size = 0;
      while (
        this.waiting.length > 0 &&
        (group.length === 0 || size + this.waiting[0].records.length <= this.maxRecordsPerRequest)
      ) {
        const next = this.waiting.shift()!;
        group.push(next);
        size += next.records.length;
      }
      const records = group.flatMap((entry) => entry.records);
      try {
        const result = await this.inner.publish(records);
        const failed = new Set(result.failed);
        this.failedCount += failed.size;
        this.publishedCount += records.length - failed.size;
        let offset = 0;
        for (const entry of group) {
          const own = entry.records.map((_, index) => index).filter((index) => failed.has(offset + index));
          offset += entry.records.length;
          entry.resolve({ failed: own });
        }
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
  }
}
