/**
 * What the stream acknowledged, in order, so a restarted kinesis-local can be made whole: it
 * reloads a snapshot taken every PERSIST_INTERVAL, so a SIGKILL loses the records it acknowledged
 * since. Real Kinesis never loses an acknowledged record; the chaos run therefore puts back
 * exactly the acknowledged records the restored stream lacks, in their original order, before
 * anything new is written, and the consumers find each shard as it was.
 */
import { createHash } from "node:crypto";
import type { StreamRecord } from "../../../core/ports";

/** A record's identity on the stream: its partition key and its bytes. */
const identityOf = (record: StreamRecord): string =>
  `${record.partitionKey}\u0000${createHash("sha256").update(record.data).digest("hex")}`;

export class StreamJournal {
  private readonly acknowledged: StreamRecord[] = [];
  private waiters: { sentAfter: number; wake: () => void }[] = [];

  /** `sentAt`: when the request that carried them was sent (epoch ms). */
  accepted(records: readonly StreamRecord[], sentAt = Date.now()): void {
    this.acknowledged.push(...records);
    if (records.length === 0) return;
    const due = this.waiters.filter((waiter) => sentAt > waiter.sentAfter);
    this.waiters = this.waiters.filter((waiter) => sentAt <= waiter.sentAfter);
    for (const waiter of due) waiter.wake();
  }

  /**
   * Resolves true at the acknowledgement of a request sent after `sentAfter` (epoch ms), or false
   * after `timeoutMs` if none comes.
   */
  acknowledgedAfter(sentAfter: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = {
        sentAfter,
        wake: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  get size(): number {
    return this.acknowledged.length;
  }

  /**
   * The acknowledged records `present` does not hold, in acknowledgement order. Counted as a
   * multiset: a record acknowledged twice (a carrier's redelivered reply) must be present twice.
   */
  missingFrom(present: Iterable<StreamRecord>): StreamRecord[] {
    const held = new Map<string, number>();
    for (const record of present) {
      const identity = identityOf(record);
      held.set(identity, (held.get(identity) ?? 0) + 1);
    }
    return this.acknowledged.filter((record) => {
      const identity = identityOf(record);
      const left = held.get(identity) ?? 0;
      if (left === 0) return true;
      held.set(identity, left - 1);
      return false;
    });
  }
}

/** True when two records are the same on the stream (key and bytes). */
export const sameRecord = (a: StreamRecord, b: StreamRecord): boolean =>
  a.partitionKey === b.partitionKey && Buffer.from(a.data).equals(Buffer.from(b.data));
