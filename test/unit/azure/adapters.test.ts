/**
 * The Service Bus, Event Hubs and Application Insights adapters against fakes of the SDK surface
 * they use (./fakes): no emulator for them runs here without Docker. The port contract suites run
 * on each; the Cosmos and Blob adapters run them against emulators (test/integration/azure).
 */
import { describe, expect, it } from "vitest";
import { SystemClock } from "../../../providers/azure/runtime/clock";
import { commonPortsOf, MONITOR_SCOPE } from "../../../providers/azure/runtime/common-ports";
import { decodeDeadLetter, ServiceBusDeadLetter } from "../../../providers/azure/runtime/dead-letter";
import { EventHubsEventPublisher } from "../../../providers/azure/runtime/event-publisher";
import {
  AppInsightsMetricsSink,
  fromEnvelope,
  parseConnectionString,
} from "../../../providers/azure/runtime/metrics-sink";
import { ServiceBusNotifier } from "../../../providers/azure/runtime/notifier";
import { CommonEnvSchema, parseEnv } from "../../../providers/azure/runtime/settings";
import { clockContract } from "../../contracts/clock.contract";
import { deadLetterContract } from "../../contracts/dead-letter.contract";
import { metricsSinkContract } from "../../contracts/metrics.contract";
import { notifierContract } from "../../contracts/notifier.contract";
import { eventPublisherContract } from "../../contracts/publisher.contract";
import { CONNECTION_STRING, fakeIngestion, fakeProducer, fakeSender } from "./fakes";

clockContract("Azure system clock", () => new SystemClock());

deadLetterContract("Service Bus queue (fake sender)", () => {
  const { sender, sent } = fakeSender();
  return {
    port: new ServiceBusDeadLetter(sender),
    read: async () => sent.map((m) => decodeDeadLetter(m.body)),
  };
});

notifierContract("Service Bus topic (fake sender)", () => {
  const { sender, sent } = fakeSender();
  return {
    port: new ServiceBusNotifier(sender),
    read: async () =>
      sent.map((m) => ({
        id: String(m.messageId),
        subject: String(m.subject),
        message: String(m.body),
        attributes: (m.applicationProperties ?? {}) as Record<string, string>,
      })),
  };
});

eventPublisherContract("Event Hubs (fake producer)", () => {
  const { producer, sent } = fakeProducer();
  return {
    port: new EventHubsEventPublisher(producer),
    read: async () => sent.map((e) => ({ partitionKey: e.partitionKey ?? "", data: e.body })),
  };
});

metricsSinkContract("Application Insights (fake ingestion)", () => {
  const { transport, posted } = fakeIngestion();
  return {
    port: new AppInsightsMetricsSink({
      connectionString: CONNECTION_STRING,
      namespace: "SmsCampaigns",
      transport,
    }),
    read: async () => posted.flatMap((p) => JSON.parse(p.body).flatMap(fromEnvelope)),
  };
});

describe("Service Bus adapters", () => {
  it("send a notification with the notification id as message id, so duplicate detection drops replays", async () => {
    const { sender, sent } = fakeSender();
    await new ServiceBusNotifier(sender).publish({
      id: "n-1",
      subject: "s",
      message: "m",
      attributes: { a: "b" },
    });
    expect(sent[0]).toMatchObject({
      messageId: "n-1",
      subject: "s",
      body: "m",
      applicationProperties: { a: "b" },
    });
  });

  it("give two dead letters of the same record different message ids, so neither is deduplicated", async () => {
    const { sender, sent } = fakeSender();
    const entry = {
      raw: new Uint8Array([1]),
      reason: "r",
      source: "s",
      receivedAt: "2026-11-24T10:00:00.000Z",
    };
    await new ServiceBusDeadLetter(sender).send(entry);
    await new ServiceBusDeadLetter(sender).send(entry);
    expect(sent[0].messageId).not.toBe(sent[1].messageId);
  });
});

describe("Event Hubs publisher", () => {
  const record = (partitionKey: string, text: string) => ({
    partitionKey,
    data: new TextEncoder().encode(text),
  });

  it("keeps the order of each partition key across batches that fill up", async () => {
    const { producer, sent } = fakeProducer({ maxPerBatch: 2 });
    const records = ["a1", "b1", "a2", "a3", "b2", "a4"].map((t) => record(t[0], t));
    expect(await new EventHubsEventPublisher(producer).publish(records)).toEqual({ failed: [] });
    const of = (key: string) =>
      sent.filter((e) => e.partitionKey === key).map((e) => new TextDecoder().decode(e.body));
    expect(of("a")).toEqual(["a1", "a2", "a3", "a4"]);
    expect(of("b")).toEqual(["b1", "b2"]);
  });

  it("reports the input indices of a batch the hub rejected, and only those", async () => {
    const { producer, sent } = fakeProducer({ failSends: 1 });
    const records = [record("a", "a1"), record("b", "b1"), record("a", "a2")];
    expect(await new EventHubsEventPublisher(producer).publish(records)).toEqual({ failed: [0, 2] });
    expect(sent.map((e) => e.partitionKey)).toEqual(["b"]);
  });

  it("reports a record too large for an empty batch as failed", async () => {
    const { producer } = fakeProducer({ maxPerBatch: 0 });
    expect(await new EventHubsEventPublisher(producer).publish([record("a", "x")])).toEqual({ failed: [0] });
  });
});

describe("Application Insights metrics sink", () => {
  it("posts custom metrics to the connection string's ingestion endpoint under the namespace", async () => {
    const { transport, posted } = fakeIngestion();
    const sink = new AppInsightsMetricsSink({
      connectionString: CONNECTION_STRING,
      namespace: "SmsCampaigns",
      transport,
      getToken: async () => "tok",
    });
    await sink.emit([
      {
        name: "DeliveryRate",
        value: 97.5,
        unit: "Percent",
        dimensions: { campaignId: "c1" },
        timestamp: "2026-11-24T10:00:00.000Z",
      },
    ]);
    expect(posted[0].url).toBe("https://westeurope-5.in.applicationinsights.azure.com/v2.1/track");
    expect(posted[0].headers.authorization).toBe("Bearer tok");
    const [envelope] = JSON.parse(posted[0].body);
    expect(envelope).toMatchObject({
      iKey: "00000000-aaaa-bbbb-cccc-000000000000",
      data: {
        baseType: "MetricData",
        baseData: {
          metrics: [{ ns: "SmsCampaigns", name: "DeliveryRate", value: 97.5 }],
          properties: { campaignId: "c1" },
        },
      },
    });
  });

  it("throws when ingestion rejects the metrics, so the batch is retried", async () => {
    const { transport } = fakeIngestion(400);
    const sink = new AppInsightsMetricsSink({
      connectionString: CONNECTION_STRING,
      namespace: "N",
      transport,
    });
    await expect(
      sink.emit([
        { name: "Sent", value: 1, unit: "Count", dimensions: {}, timestamp: "2026-11-24T10:00:00.000Z" },
      ]),
    ).rejects.toThrow(/answered 400/);
  });

  it("rejects a connection string without an instrumentation key", () => {
    expect(() => parseConnectionString("IngestionEndpoint=https://x/")).toThrow(/InstrumentationKey/);
  });
});

describe("the common ports", () => {
  const env = {
    SERVICE_BUS_NAMESPACE: "bus",
    DEAD_LETTER_QUEUE: "dlq",
    APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
  };
  const serviceBus = { createSender: () => fakeSender().sender } as never;
  const datum = {
    name: "Sent",
    value: 1,
    unit: "Count" as const,
    dimensions: {},
    timestamp: "2026-11-24T10:00:00.000Z",
  };
  const credential = () => ({
    getToken: async (scope: string | string[]) => ({ token: `token-for-${scope}`, expiresOnTimestamp: 0 }),
  });

  it("post metrics with an Entra ID token for Azure Monitor when the settings ask for Entra ingestion", async () => {
    const { transport, posted } = fakeIngestion();
    const parsed = parseEnv(CommonEnvSchema, {
      ...env,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "ClientId=abc;Authorization=AAD",
    });
    await commonPortsOf(parsed, serviceBus, { metricsTransport: transport, credential }).metrics.emit([
      datum,
    ]);
    expect(posted[0].headers.authorization).toBe(`Bearer token-for-${MONITOR_SCOPE}`);
  });

  it("post metrics without a token when the component takes its connection string alone", async () => {
    const { transport, posted } = fakeIngestion();
    const parsed = parseEnv(CommonEnvSchema, env);
    await commonPortsOf(parsed, serviceBus, { metricsTransport: transport, credential }).metrics.emit([
      datum,
    ]);
    expect(posted[0].headers.authorization).toBeUndefined();
  });
});
