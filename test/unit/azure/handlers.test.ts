import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../../core/events/decode";
import { phoneHash } from "../../../core/redact";
import { runEventHubsBatch, toBatchRecords } from "../../../providers/azure/handlers/event-hubs-batch";
import { createResponsesHandler } from "../../../providers/azure/handlers/responses";
import { decodeDeadLetter, ServiceBusDeadLetter } from "../../../providers/azure/runtime/dead-letter";
import { AppInsightsMetricsSink } from "../../../providers/azure/runtime/metrics-sink";
import { ServiceBusNotifier } from "../../../providers/azure/runtime/notifier";
import { FakeClock } from "../../../providers/local/runtime/memory/clock";
import { MemoryMessageLog } from "../../../providers/local/runtime/memory/messages";
import { MemoryOptOutStore } from "../../../providers/local/runtime/memory/opt-outs";
import { MemoryResponsesStore } from "../../../providers/local/runtime/memory/responses";
import { MemorySmsSender } from "../../../providers/local/runtime/memory/sender";
import { CONNECTION_STRING, fakeIngestion, fakeSender } from "./fakes";

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "../../fixtures/native", name), "utf8");
const [reply] = JSON.parse(fixture("acs-sms-received.eventgrid.json"));
const [report] = JSON.parse(fixture("acs-delivery-report.eventgrid.json"));
const POISON = "not json {";

/** What the Functions host passes: bodies (JSON parsed by the host) and per-record metadata. */
const invocation = (messages: unknown[]) => ({
  triggerMetadata: {
    sequenceNumberArray: messages.map((_, index) => 100 + index),
    enqueuedTimeUtcArray: messages.map(() => "2026-11-24T09:59:00.000Z"),
    partitionContext: { PartitionId: "3", EventHubName: "sms-events-stream" },
  },
  log: () => {},
  warn: () => {},
  error: () => {},
});

const setup = () => {
  const deadLetters = fakeSender();
  const notifications = fakeSender();
  const ingestion = fakeIngestion();
  const ports = {
    clock: new FakeClock("2026-11-24T10:00:00.000Z"),
    deadLetter: new ServiceBusDeadLetter(deadLetters.sender),
    metrics: new AppInsightsMetricsSink({
      connectionString: CONNECTION_STRING,
      namespace: "SmsCampaigns",
      transport: ingestion.transport,
    }),
    responses: new MemoryResponsesStore(),
    optOuts: new MemoryOptOutStore(),
    messages: new MemoryMessageLog(),
    notifier: new ServiceBusNotifier(notifications.sender),
    sender: new MemorySmsSender(),
  };
  const handler = createResponsesHandler({
    ports,
    settings: {
      helpText: "help",
      stopConfirmationText: "bye",
      patterns: [{ name: "all", type: "keyword", keyword: "GREAT" } as never],
    },
    maxAttempts: 3,
    backoffMs: () => 0,
  });
  return { ports, handler, deadLetters, ingestion };
};

describe("the Azure responses function on an Event Hubs batch", () => {
  it("stores a reply once, dead-letters the poison record with its raw bytes, and a replay changes nothing", async () => {
    const { ports, handler, deadLetters, ingestion } = setup();
    const batch = [reply, report, reply, POISON];
    const first = await handler(batch, invocation(batch));
    expect(first).toMatchObject({ records: 4, deadLettered: 1, exhausted: 0 });
    const decoded = decodeRecord(JSON.stringify(reply));
    if (!decoded.ok) throw new Error("the fixture must decode");
    const stored = await ports.responses.get(decoded.events[0].eventId);
    expect(stored?.response_text).toBe(reply.data.message);
    expect(deadLetters.sent).toHaveLength(1);
    const entry = decodeDeadLetter(deadLetters.sent[0].body);
    expect(new TextDecoder().decode(entry.raw)).toBe(POISON);
    expect(entry.source).toBe("responses:sms-events-stream/3-103");

    const before = JSON.stringify(
      await ports.responses.bySubscriber(stored?.subscriber_id ?? reply.data.from),
    );
    const replay = await handler(batch, invocation(batch));
    expect(replay.exhausted).toBe(0);
    expect(JSON.stringify(await ports.responses.bySubscriber(stored?.subscriber_id ?? reply.data.from))).toBe(
      before,
    );
    // The replayed poison is dead-lettered again (a second fact), nothing else is written.
    expect(deadLetters.sent).toHaveLength(2);
    const lag = JSON.parse(ingestion.posted[0].body).find(
      (e: { data: { baseData: { metrics: { name: string }[] } } }) =>
        e.data.baseData.metrics[0].name === "ConsumerLagMs",
    );
    expect(lag.data.baseData.metrics[0].value).toBe(60_000);
  });
});

describe("what the Azure responses function lets out about a subscriber", () => {
  const recorder = (messages: unknown[]) => {
    const lines: unknown[][] = [];
    const record = (...args: unknown[]) => {
      lines.push(args);
    };
    return { lines, context: { ...invocation(messages), log: record, warn: record, error: record } };
  };

  it("notifies on Service Bus with the masked number, hash, length and event id, never the text or the number", async () => {
    const notifications = fakeSender();
    const handler = createResponsesHandler({
      ports: {
        ...setup().ports,
        notifier: new ServiceBusNotifier(notifications.sender),
      },
      settings: {
        helpText: "help",
        stopConfirmationText: "bye",
        patterns: [{ name: "all", type: "keyword", keyword: "GREAT" } as never],
        phoneHashSalt: "azure-test-salt",
      },
      maxAttempts: 1,
    });
    await handler([reply], recorder([reply]).context);
    expect(notifications.sent).toHaveLength(1);
    const [message] = notifications.sent;
    expect(message.applicationProperties).toMatchObject({
      pattern: "all",
      phoneMasked: "***5555",
      phoneHash: phoneHash("+15555555555", "azure-test-salt"),
      bodyLength: String(reply.data.message.length),
    });
    const everything = JSON.stringify(message);
    expect(everything).not.toContain("15555555555");
    expect(everything).not.toContain(reply.data.message);
    expect(String(message.body)).toMatch(/event id [0-9a-f]+/);
  });

  it("logs a failure naming a number with the number masked", async () => {
    const { lines, context } = recorder([reply]);
    const handler = createResponsesHandler({
      ports: {
        ...setup().ports,
        responses: {
          get: async () => {
            throw new Error("lookup failed for +15555555555");
          },
        } as never,
      },
      settings: { helpText: "help", stopConfirmationText: "bye", patterns: [] },
      maxAttempts: 1,
    });
    await handler([reply], context);
    const logged = JSON.stringify(lines);
    expect(logged).toContain("lookup failed for ***5555");
    expect(logged).not.toContain("15555555555");
  });
});

describe("the Event Hubs batch runner", () => {
  const deps = () => {
    const deadLetters = fakeSender();
    return {
      deadLetters,
      deps: {
        consumer: "test",
        deadLetter: new ServiceBusDeadLetter(deadLetters.sender),
        clock: new FakeClock("2026-11-24T10:00:00.000Z"),
        maxAttempts: 3,
        backoffMs: () => 0,
      },
    };
  };

  it("retries a failing record in process and does not dead-letter it once it succeeds", async () => {
    const { deadLetters, deps: d } = deps();
    let calls = 0;
    const outcome = await runEventHubsBatch(
      [reply],
      invocation([reply]).triggerMetadata,
      {
        perRecord: async () => {
          calls++;
          if (calls < 2) throw new Error("throttled");
        },
      },
      d,
    );
    expect(outcome).toMatchObject({ attempts: 2, exhausted: 0 });
    expect(deadLetters.sent).toHaveLength(0);
  });

  it("dead-letters a record that fails every attempt, with the last error, so the checkpoint can advance", async () => {
    const { deadLetters, deps: d } = deps();
    const outcome = await runEventHubsBatch(
      [reply, report],
      invocation([reply, report]).triggerMetadata,
      {
        perRecord: async (events) => {
          if (events[0].kind === "received") throw new Error("store down");
        },
      },
      d,
    );
    expect(outcome).toMatchObject({ attempts: 3, exhausted: 1 });
    const entry = decodeDeadLetter(deadLetters.sent[0].body);
    expect(entry.reason).toBe("failed after 3 attempts: store down");
    expect(JSON.parse(new TextDecoder().decode(entry.raw)).id).toBe(reply.id);
  });

  it("dead-letters with a reason that masks a number the last error named", async () => {
    const { deadLetters, deps: d } = deps();
    await runEventHubsBatch(
      [reply],
      invocation([reply]).triggerMetadata,
      {
        perRecord: async () => {
          throw new Error("opt-out of +15555555555: too many concurrent writers");
        },
      },
      d,
    );
    const entry = decodeDeadLetter(deadLetters.sent[0].body);
    expect(entry.reason).toBe("failed after 3 attempts: opt-out of ***5555: too many concurrent writers");
    // The raw bytes keep everything, for reprocessing.
    expect(new TextDecoder().decode(entry.raw)).toContain("15555555555");
  });

  it("fails the invocation when a record can be neither processed nor dead-lettered, so the host retries", async () => {
    const failing = fakeSender({ failWith: new Error("bus down") });
    await expect(
      runEventHubsBatch(
        [POISON],
        {},
        { perRecord: async () => {} },
        {
          consumer: "test",
          deadLetter: new ServiceBusDeadLetter(failing.sender),
          clock: new FakeClock(),
          maxAttempts: 2,
          backoffMs: () => 0,
        },
      ),
    ).rejects.toThrow(/could not be dead-lettered/);
  });

  it("names records by partition and sequence number, keeping string bodies byte for byte", () => {
    const records = toBatchRecords(["héllo", new Uint8Array([0xff])], invocation([1, 2]).triggerMetadata);
    expect(records.map((r) => r.id)).toEqual(["3-100", "3-101"]);
    expect(new TextDecoder().decode(records[0].raw)).toBe("héllo");
    expect([...records[1].raw]).toEqual([0xff]);
    expect(records[0].receivedAt).toBe("2026-11-24T09:59:00.000Z");
  });
});
