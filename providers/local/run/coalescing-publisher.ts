/**
 * Gathers the records of many concurrent `publish` calls (the campaign publishes one event per
 * message) into PutRecords-sized requests, one request in flight at a time so per-shard order is
 * the order of the calls. Each caller still learns which of its own records failed.
 * In a chaos run that kills the stream's emulator, it waits out the outage (StreamOutage) and puts
 * again what the outage interrupted, and keeps what the stream acknowledged (StreamJournal) so
 * the restarted stream can be made whole (`putBack`).
 */
import type { EventPublisher, PublishResult, StreamRecord } from "../../../core/ports";
import type { StreamJournal } from "../chaos/stream-journal";
import type { StreamOutage } from "../chaos/stream-outage";

export interface CoalescingOptions {
  outage?: StreamOutage;
  journal?: StreamJournal;
}

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
  private inFlight: Promise<unknown> | undefined;
  /** Records put again because an outage interrupted their request. */
  outageRetries = 0;
  /** Acknowledged records put back into a restarted stream that had lost them. */
  putBackCount = 0;

  constructor(
    private readonly inner: EventPublisher,
    private readonly maxRecordsPerRequest = 500,
    private readonly options: CoalescingOptions = {},
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
      this.draining ??= this.drain();
    });
  }

  /** Resolves once everything handed over so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Resolves once no request is in flight (during an outage: the interrupted one has failed). */
  async quiet(): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
  }

  /** Puts `records` into a restarted stream during the outage, ahead of everything waiting. */
  async putBack(records: StreamRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += this.maxRecordsPerRequest) {
      const chunk = records.slice(start, start + this.maxRecordsPerRequest);
      const { failed } = await this.inner.publish(chunk);
      if (failed.length > 0) {
        throw new Error(`the restarted stream refused ${failed.length} of the records it had lost`);
      }
      this.putBackCount += chunk.length;
    }
  }

  /** One request; records an outage interrupted are put again once the stream is back. */
  private async putThroughOutages(records: StreamRecord[]): Promise<PublishResult> {
    const { outage, journal } = this.options;
    let pending = records.map((_, index) => index);
    for (;;) {
      await outage?.passable();
      const outagesBefore = outage?.count ?? 0;
      const batch = pending.map((index) => records[index]);
      let failed: number[];
      const sentAt = Date.now();
      try {
        const request = this.inner.publish(batch);
        this.inFlight = request;
        failed = (await request).failed.map((position) => pending[position]);
      } catch (error) {
        if (!outage?.interrupted(outagesBefore)) throw error;
        failed = pending;
      } finally {
        this.inFlight = undefined;
      }
      const failedSet = new Set(failed);
      journal?.accepted(
        pending.filter((index) => !failedSet.has(index)).map((index) => records[index]),
        sentAt,
      );
      if (failed.length === 0 || !outage?.interrupted(outagesBefore)) return { failed };
      this.outageRetries += failed.length;
      pending = failed;
    }
  }

  /**
   * Clears `draining` in the same turn as it finds nothing left: a caller resumed by the last
   * answer may publish again at once, and must start a new drain rather than join this finished one.
   */
  private async drain(): Promise<void> {
    // Let the other workers of this tick add their records to the same request.
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      if (this.waiting.length === 0) {
        this.draining = undefined;
        return;
      }
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
        const result = await this.putThroughOutages(records);
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
