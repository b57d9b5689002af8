import { describe, expect, it } from "vitest";
import type { EventPublisher, PublishResult, StreamRecord } from "../../../core/ports";
import { CoalescingPublisher } from "../../../providers/local/run/coalescing-publisher";

const record = (key: string): StreamRecord => ({ partitionKey: key, data: new TextEncoder().encode(key) });

class RecordingPublisher implements EventPublisher {
  readonly requests: string[][] = [];
  constructor(private readonly failing = new Set<string>()) {}
  async publish(records: StreamRecord[]): Promise<PublishResult> {
    this.requests.push(records.map((r) => r.partitionKey));
    return { failed: records.flatMap((r, index) => (this.failing.has(r.partitionKey) ? [index] : [])) };
  }
}

describe("the coalescing publisher", () => {
  it("puts concurrent single-record publishes into one request, in call order", async () => {
    const inner = new RecordingPublisher();
    const publisher = new CoalescingPublisher(inner);
    await Promise.all(Array.from({ length: 40 }, (_, n) => publisher.publish([record(`k${n}`)])));
    expect(inner.requests).toHaveLength(1);
    expect(inner.requests[0]).toEqual(Array.from({ length: 40 }, (_, n) => `k${n}`));
    expect(publisher.published).toBe(40);
  });

  it("never exceeds the request size", async () => {
    const inner = new RecordingPublisher();
    const publisher = new CoalescingPublisher(inner, 10);
    await Promise.all(Array.from({ length: 25 }, (_, n) => publisher.publish([record(`k${n}`)])));
    expect(inner.requests.map((request) => request.length)).toEqual([10, 10, 5]);
  });

  it("tells each caller only about its own failed records", async () => {
    const publisher = new CoalescingPublisher(new RecordingPublisher(new Set(["b2", "c1"])));
    const [a, b, c] = await Promise.all([
      publisher.publish([record("a1"), record("a2")]),
      publisher.publish([record("b1"), record("b2")]),
      publisher.publish([record("c1")]),
    ]);
    expect([a.failed, b.failed, c.failed]).toEqual([[], [1], [0]]);
    expect([publisher.published, publisher.failed]).toEqual([3, 2]);
  });

  it("takes a publish made the moment the previous one was answered", async () => {
    const inner = new RecordingPublisher();
    const publisher = new CoalescingPublisher(inner);
    for (let n = 0; n < 3; n++) await publisher.publish([record(`k${n}`)]);
    await publisher.flush();
    expect(inner.requests).toEqual([["k0"], ["k1"], ["k2"]]);
  });
});
