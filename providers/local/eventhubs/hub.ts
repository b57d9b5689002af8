/**
 * An Event Hub in this process (this machine has no Event Hubs emulator without Docker): partitions
 * holding events in arrival order, each with the sequence number, offset and enqueued time the
 * service stamps, and a producer with the SDK's batch surface (createBatch / tryAdd / sendBatch),
 * so the stack's own EventHubsEventPublisher writes into it unchanged.
 *
 * A partition key picks a partition by a stable hash, as the service does (it uses its own hash,
 * so which partition a key lands on differs; that every event of a key lands on the same one,
 * in order, is what consumers rely on and what holds here).
 */
import type { EventProducer } from "../../azure/runtime/event-publisher";

/** The largest batch the service accepts on Standard (1 MB). */
export const MAX_BATCH_BYTES = 1_048_576;

export interface HubEvent {
  body: Uint8Array;
  partitionKey: string;
  sequenceNumber: number;
  offset: string;
  enqueuedTimeUtc: Date;
}

/** FNV-1a over the key's UTF-8 bytes: stable across runs and processes. */
export const partitionOfKey = (key: string, partitions: number): number => {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
};

interface ProducerBatch {
  readonly partitionKey: string;
  readonly bodies: Uint8Array[];
  bytes: number;
  readonly count: number;
  tryAdd(event: { body: unknown }): boolean;
}

const bytesOf = (body: unknown): Uint8Array => {
  if (body instanceof Uint8Array) return body;
  return new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body));
};

export class InProcessEventHub {
  readonly partitions: HubEvent[][];
  private readonly offsets: number[];
  private listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    partitionCount: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (!Number.isInteger(partitionCount) || partitionCount < 1) {
      throw new Error(`an Event Hub needs at least one partition, got ${partitionCount}`);
    }
    this.partitions = Array.from({ length: partitionCount }, () => []);
    this.offsets = Array.from({ length: partitionCount }, () => 0);
  }

  /** Events on the hub, all partitions. */
  get size(): number {
    return this.partitions.reduce((sum, partition) => sum + partition.length, 0);
  }

  /** Appends one event to its key's partition and wakes the consumers. */
  append(partitionKey: string, body: Uint8Array): HubEvent {
    const index = partitionOfKey(partitionKey, this.partitions.length);
    const partition = this.partitions[index];
    const event: HubEvent = {
      body,
      partitionKey,
      sequenceNumber: partition.length,
      offset: String(this.offsets[index]),
      enqueuedTimeUtc: this.now(),
    };
    this.offsets[index] += body.byteLength;
    partition.push(event);
    this.notify();
    return event;
  }

  /** Calls `listener` after every append until the returned function is called. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The SDK producer's batch surface, over this hub. */
  producer(): EventProducer {
    return {
      createBatch: async (options?: { partitionKey?: string }) => {
        const batch: ProducerBatch = {
          partitionKey: options?.partitionKey ?? "",
          bodies: [],
          bytes: 0,
          get count() {
            return this.bodies.length;
          },
          tryAdd(event) {
            const body = bytesOf(event.body);
            if (this.bytes + body.byteLength > MAX_BATCH_BYTES) return false;
            this.bodies.push(body);
            this.bytes += body.byteLength;
            return true;
          },
        };
        return batch;
      },
      sendBatch: async (batch: ProducerBatch) => {
        for (const body of batch.bodies) this.append(batch.partitionKey, body);
      },
    } as unknown as EventProducer;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
