/**
 * The in-process Event Hub and Functions host (providers/local/eventhubs): partition keys pick one
 * partition, batches hold at most maxEventBatchSize events of one partition in order, the checkpoint
 * moves after the batch, and a throwing invocation is retried from the checkpoint, then abandoned.
 */
import type { InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { toBatchRecords } from "../../../providers/azure/handlers/event-hubs-batch";
import { EventHubsEventPublisher } from "../../../providers/azure/runtime/event-publisher";
import {
  EventHubConsumerGroup,
  type EventHubsFunction,
  hostBodyOf,
  type TriggerSettings,
} from "../../../providers/local/eventhubs/function-host";
import { InProcessEventHub, partitionOfKey } from "../../../providers/local/eventhubs/hub";

const encoder = new TextEncoder();
const bytes = (value: unknown) => encoder.encode(JSON.stringify(value));

interface Invocation {
  messages: unknown[];
  partition: string;
  sequenceNumbers: number[];
  retryCount: number;
}

const recorder = (fail: (invocation: Invocation, calls: number) => boolean = () => false) => {
  const invocations: Invocation[] = [];
  const fn: EventHubsFunction = async (messages, context: InvocationContext) => {
    const metadata = context.triggerMetadata as {
      partitionContext: { PartitionId: string };
      sequenceNumberArray: number[];
    };
    const invocation = {
      messages,
      partition: metadata.partitionContext.PartitionId,
      sequenceNumbers: metadata.sequenceNumberArray,
      retryCount: context.retryContext?.retryCount ?? 0,
    };
    invocations.push(invocation);
    if (fail(invocation, invocations.length)) throw new Error("the function failed");
  };
  return { fn, invocations };
};

const settings = (overrides: Partial<TriggerSettings> = {}): TriggerSettings => ({
  maxEventBatchSize: 3,
  maxWaitMs: 0,
  retry: { maxRetryCount: 2, delayMs: () => 1 },
  ...overrides,
});

describe("the in-process Event Hub", () => {
  it("puts every event of a partition key on one partition, in order, with increasing sequence numbers", async () => {
    const hub = new InProcessEventHub("hub", 4);
    const publisher = new EventHubsEventPublisher(hub.producer());
    const records = Array.from({ length: 40 }, (_, n) => ({
      partitionKey: `sub-${n % 8}`,
      data: bytes({ n }),
    }));
    expect(await publisher.publish(records)).toEqual({ failed: [] });
    expect(hub.size).toBe(40);
    for (let key = 0; key < 8; key++) {
      const partition = hub.partitions[partitionOfKey(`sub-${key}`, 4)];
      const own = partition.filter((event) => event.partitionKey === `sub-${key}`);
      expect(own.map((event) => JSON.parse(new TextDecoder().decode(event.body)).n)).toEqual(
        [0, 1, 2, 3, 4].map((i) => key + 8 * i),
      );
    }
    for (const partition of hub.partitions) {
      expect(partition.map((event) => event.sequenceNumber)).toEqual(partition.map((_, index) => index));
    }
    expect(hub.partitions.filter((partition) => partition.length > 0).length).toBeGreaterThan(1);
  });
});

describe("the in-process Functions host on the hub", () => {
  it("delivers batches of at most maxEventBatchSize, one partition each, in partition order, and checkpoints after each", async () => {
    const hub = new InProcessEventHub("hub", 2);
    const { fn, invocations } = recorder();
    const group = new EventHubConsumerGroup(hub, "archive", fn, settings());
    for (let n = 0; n < 7; n++) hub.append("one-key", bytes({ n }));
    group.start();
    await group.caughtUp();
    const partition = String(partitionOfKey("one-key", 2));
    expect(invocations.map((i) => i.messages.length)).toEqual([3, 3, 1]);
    expect(invocations.every((i) => i.partition === partition)).toBe(true);
    expect(invocations.flatMap((i) => i.messages)).toEqual(Array.from({ length: 7 }, (_, n) => ({ n })));
    expect(invocations.map((i) => i.sequenceNumbers)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(group.checkpoints[Number(partition)]).toBe(7);
    await group.stop();
  });

  it("passes the trigger metadata the Azure handlers read (partition, sequence numbers, enqueued times)", async () => {
    const hub = new InProcessEventHub("sms-events", 1);
    const seen: ReturnType<typeof toBatchRecords>[] = [];
    const group = new EventHubConsumerGroup(
      hub,
      "analytics",
      async (messages, context) => {
        seen.push(toBatchRecords(messages, context.triggerMetadata));
      },
      settings(),
    );
    hub.append("k", bytes({ a: 1 }));
    group.start();
    await group.caughtUp();
    await group.stop();
    expect(seen[0]).toEqual([
      { id: "0-0", raw: bytes({ a: 1 }), receivedAt: hub.partitions[0][0].enqueuedTimeUtc.toISOString() },
    ]);
  });

  it("retries a throwing invocation from the last checkpoint with the same events, then moves on", async () => {
    const hub = new InProcessEventHub("hub", 1);
    // The second batch fails twice, then succeeds.
    const { fn, invocations } = recorder((i, calls) => i.sequenceNumbers[0] === 3 && calls <= 3);
    const group = new EventHubConsumerGroup(hub, "responses", fn, settings());
    for (let n = 0; n < 6; n++) hub.append("k", bytes({ n }));
    group.start();
    await group.caughtUp();
    await group.stop();
    expect(invocations.map((i) => [i.sequenceNumbers, i.retryCount])).toEqual([
      [[0, 1, 2], 0],
      [[3, 4, 5], 0],
      [[3, 4, 5], 1],
      [[3, 4, 5], 2],
    ]);
    expect(group.stats()).toMatchObject({
      invocations: 4,
      functionErrors: 2,
      retries: 2,
      deadLetteredBatches: 0,
    });
  });

  it("abandons a batch once the retry policy is spent: checkpointed past and reported, never delivered again", async () => {
    const hub = new InProcessEventHub("hub", 1);
    const { fn, invocations } = recorder((i) => i.sequenceNumbers[0] === 0);
    const abandoned: number[][] = [];
    const group = new EventHubConsumerGroup(hub, "archive", fn, settings(), {
      onAbandoned: (events) => abandoned.push(events.map((event) => event.sequenceNumber)),
    });
    for (let n = 0; n < 4; n++) hub.append("k", bytes({ n }));
    group.start();
    await group.caughtUp();
    await group.stop();
    // First attempt plus maxRetryCount (2) retries, then the next batch.
    expect(invocations.map((i) => i.sequenceNumbers)).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2], [3]]);
    expect(abandoned).toEqual([[0, 1, 2]]);
    expect(group.checkpoints[0]).toBe(4);
  });

  it("waits up to maxWaitTime to fill a partial batch, unless the run waits for it to catch up", async () => {
    const hub = new InProcessEventHub("hub", 1);
    const { fn, invocations } = recorder();
    const group = new EventHubConsumerGroup(hub, "analytics", fn, settings({ maxWaitMs: 60_000 }));
    group.start();
    hub.append("k", bytes({ n: 0 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(invocations).toHaveLength(0);
    hub.append("k", bytes({ n: 1 }));
    hub.append("k", bytes({ n: 2 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(invocations.map((i) => i.messages.length)).toEqual([3]);
    hub.append("k", bytes({ n: 3 }));
    await group.caughtUp();
    expect(invocations.map((i) => i.messages.length)).toEqual([3, 1]);
    await group.stop();
  });

  it("hands JSON bodies over parsed and anything else as its exact bytes", () => {
    expect(hostBodyOf(bytes([{ id: "e" }]))).toEqual([{ id: "e" }]);
    const garbled = bytes([{ id: "e", data: { x: 1 } }]).slice(0, 9);
    const body = hostBodyOf(garbled);
    expect(Buffer.isBuffer(body)).toBe(true);
    expect(new Uint8Array(body as Buffer)).toEqual(garbled);
  });
});
