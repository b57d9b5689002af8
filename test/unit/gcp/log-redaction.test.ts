import { afterEach, describe, expect, it, vi } from "vitest";
import { createPubSubConsumer } from "../../../providers/gcp/handlers/pubsub-consumer";
import { type LogEntry, redactedLog } from "../../../providers/gcp/handlers/structured-log";
import { FakeClock } from "../../../providers/local/runtime/memory/clock";
import { MemoryDeadLetter } from "../../../providers/local/runtime/memory/dead-letter";

const canonical = {
  eventId: "e-1",
  schemaVersion: 1,
  kind: "received",
  occurredAt: "2026-11-24T10:00:00.000Z",
  provider: "twilio",
  phoneNumber: "+12125550101",
  body: "call me on +1 212 555 0102",
};

describe("the GCP functions' structured log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("redacts every string of an entry before writing it", () => {
    const written: LogEntry[] = [];
    redactedLog((entry) => written.push(entry))({
      severity: "ERROR",
      message: "publish failed for +12125550101",
      nested: { from: "+12125550102" },
    });
    expect(written).toEqual([
      { severity: "ERROR", message: "publish failed for ***0101", nested: { from: "***0102" } },
    ]);
  });

  it("writes a consumer's failure as one redacted JSON line on stderr", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => lines.push(line));
    const consumer = createPubSubConsumer(
      "responses",
      {
        perRecord: async () => {
          throw new Error("could not send the help answer: +12125550101 is unreachable");
        },
      },
      { deadLetter: new MemoryDeadLetter(), clock: new FakeClock("2026-11-24T10:00:00.000Z") },
    );
    const data = Buffer.from(JSON.stringify(canonical)).toString("base64");
    await expect(
      consumer({
        specversion: "1.0",
        id: "1",
        source: "pubsub",
        type: "google.cloud.pubsub.topic.v1.messagePublished",
        data: { message: { data, messageId: "m-1" }, subscription: "projects/p/subscriptions/s" },
      } as never),
    ).rejects.toThrow(/Pub\/Sub will retry/);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      severity: "ERROR",
      message: "message failed",
      error: "Error: could not send the help answer: ***0101 is unreachable",
    });
  });
});
