/**
 * The Cosmos DB and Blob Storage adapters against local emulators (started here, stopped by
 * process group): @vercel/cosmosdb-server and Azurite. Each port's contract suite runs on them.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../../core/events/decode";
import type { SentMessage } from "../../../core/ports";
import { readArchiveObject } from "../../../core/processing/archive";
import { phoneHash } from "../../../core/redact";
import { archivePortsOf, createArchiveHandler } from "../../../providers/azure/handlers/archive";
import { createResponsesHandler } from "../../../providers/azure/handlers/responses";
import { BlobArchiveStore } from "../../../providers/azure/runtime/archive-store";
import { CosmosCampaignStore } from "../../../providers/azure/runtime/campaign-store";
import { CONTAINERS, type ContainerId } from "../../../providers/azure/runtime/containers";
import { decodeDeadLetter, ServiceBusDeadLetter } from "../../../providers/azure/runtime/dead-letter";
import { CosmosErasureTombstones } from "../../../providers/azure/runtime/erasure-tombstones";
import { CosmosJourneyStore } from "../../../providers/azure/runtime/journey-store";
import { CosmosMessageLog } from "../../../providers/azure/runtime/message-log";
import { AppInsightsMetricsSink } from "../../../providers/azure/runtime/metrics-sink";
import { ServiceBusNotifier } from "../../../providers/azure/runtime/notifier";
import { CosmosOptOutReviewStore } from "../../../providers/azure/runtime/opt-out-reviews";
import { CosmosOptOutStore } from "../../../providers/azure/runtime/opt-out-store";
import { CosmosPendingReceiptStore } from "../../../providers/azure/runtime/pending-receipts";
import { CosmosResponsesStore } from "../../../providers/azure/runtime/responses-store";
import { CosmosRevocationClockStore } from "../../../providers/azure/runtime/revocation-clocks";
import { CosmosSendLedger } from "../../../providers/azure/runtime/send-ledger";
import { ArchiveEnvSchema, parseEnv } from "../../../providers/azure/runtime/settings";
import { CosmosSubscriberDirectory } from "../../../providers/azure/runtime/subscriber-directory";
import { FakeClock } from "../../../providers/local/runtime/memory/clock";
import { MemoryMessageLog } from "../../../providers/local/runtime/memory/messages";
import { MemorySmsSender } from "../../../providers/local/runtime/memory/sender";
import { archiveStoreContract } from "../../contracts/archive.contract";
import { campaignStoreContract } from "../../contracts/campaigns.contract";
import { circuitBreakerContract } from "../../contracts/circuit-breaker.contract";
import { journeyStoreContract } from "../../contracts/journeys.contract";
import { sendLedgerContract } from "../../contracts/ledger.contract";
import { messageLogContract } from "../../contracts/messages.contract";
import { optOutReviewStoreContract } from "../../contracts/opt-out-reviews.contract";
import { optOutStoreContract } from "../../contracts/opt-outs.contract";
import { pendingReceiptStoreContract } from "../../contracts/pending-receipts.contract";
import { responsesStoreContract } from "../../contracts/responses.contract";
import { revocationClockStoreContract } from "../../contracts/revocation-clocks.contract";
import { subscriberDirectoryContract } from "../../contracts/subscribers.contract";
import { useAzureEmulators } from "../../emulators/azure";
import { expectedSentMessage } from "../../support/sent-message";
import { CONNECTION_STRING, fakeIngestion, fakeSender } from "../../unit/azure/fakes";

const containers = new Map<ContainerId, Promise<unknown>>();

const azure = useAzureEmulators("archive");

/** The container as infra/dataStore.ts creates it (same partition key), created once per file. */
const container = async (id: ContainerId) => {
  if (!containers.has(id)) {
    containers.set(
      id,
      azure
        .database()
        .containers.createIfNotExists({ id, partitionKey: { paths: [CONTAINERS[id].partitionKey] } }),
    );
  }
  await containers.get(id);
  return azure.database().container(id);
};

responsesStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosResponsesStore(await container("responses")),
);
optOutStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosOptOutStore(await container("optOuts")),
);
sendLedgerContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosSendLedger(await container("ledger")),
);
journeyStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosJourneyStore(await container("journeys")),
);
messageLogContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosMessageLog(await container("messages")),
);
subscriberDirectoryContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosSubscriberDirectory(await container("subscribers")),
);
campaignStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosCampaignStore(await container("campaigns")),
);
circuitBreakerContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosCampaignStore(await container("campaigns")),
);
pendingReceiptStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosPendingReceiptStore(await container("pendingReceipts")),
);
optOutReviewStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosOptOutReviewStore(await container("optOutReviews")),
);
revocationClockStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosRevocationClockStore(await container("revocations")),
);
archiveStoreContract("Blob Storage (Azurite)", () => new BlobArchiveStore(azure.blobs()));
archiveStoreContract(
  "Blob Storage (Azurite), with a key prefix",
  () => new BlobArchiveStore(azure.blobs(), { keyPrefix: "prefixed/" }),
);

describe("Cosmos DB items", () => {
  it("keep a campaign's counters in their own item: names with / and ~ round-trip, and list() gives records only", async () => {
    const store = new CosmosCampaignStore(await container("campaigns"));
    const campaignId = `c-${randomUUID().slice(0, 8)}`;
    const record = {
      campaignId,
      journeyName: "message",
      steps: [
        { type: "send" as const, id: "message", template: "hi", messageType: "transactional" as const },
      ],
      status: "running" as const,
      audienceKey: `campaigns/${campaignId}/audience.csv`,
      createdAt: "2026-12-03T10:00:00.000Z",
      updatedAt: "2026-12-03T10:00:00.000Z",
      version: 1,
    };
    await store.put(record, 0);
    await store.addCounts(campaignId, { "replies:a/b": 2, "x~y": 1, zero: 0 });
    await store.addCounts(
      campaignId,
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`n${i}`, i + 1])),
    );
    const counts = await store.counts(campaignId);
    expect(counts).toMatchObject({ "replies:a/b": 2, "x~y": 1, n0: 1, n11: 12 });
    expect(counts).not.toHaveProperty("zero");
    const listed = (await store.list()).filter((r) => r.campaignId === campaignId);
    expect(listed).toEqual([record]);
  });

  it("store a reply's expiry as Cosmos' seconds-to-live and give the record back its epoch ttl", async () => {
    const raw = await container("responses");
    const store = new CosmosResponsesStore(raw, () => 1_000_000);
    const record = {
      event_id: `evt/${randomUUID()}#1`,
      phone_number: "+15555550100",
      response_text: "YES",
      response_timestamp: "2026-11-24T10:00:00.000Z",
      category: "yes" as const,
      sentiment: "positive" as const,
      ttl: 1_000_000 + 365 * 86_400,
    };
    expect(await store.put(record)).toBe("created");
    const { resources } = await raw.items
      .query({
        query: "SELECT * FROM c WHERE c.event_id = @id",
        parameters: [{ name: "@id", value: record.event_id }],
      })
      .fetchAll();
    expect(resources[0]).toMatchObject({
      ttl: 365 * 86_400,
      expires_at: record.ttl,
      subscriber_id: record.phone_number,
    });
    expect(resources[0].id).not.toMatch(/[/#?\\]/);
    expect(await store.get(record.event_id)).toEqual(record);
  });
});

const fixture = (name: string) =>
  (
    JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/native", name), "utf8")) as Record<
      string,
      unknown
    >[]
  )[0];
const POISON = "{ not json";

/** A fresh reply (own ids and number) in the Event Grid form ACS delivers, with the given text. */
const replyEvent = (message: string) => {
  const reply = fixture("acs-sms-received.eventgrid.json") as { id: string; data: Record<string, unknown> };
  const id = `Incoming_${randomUUID()}`;
  const from = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  return { ...reply, id, data: { ...reply.data, messageId: id, from, message } };
};

const invocation = (messages: unknown[], partition: string) => ({
  triggerMetadata: {
    sequenceNumberArray: messages.map((_, index) => index + 1),
    enqueuedTimeUtcArray: messages.map(() => "2026-11-24T09:59:00.000Z"),
    partitionContext: { PartitionId: partition, EventHubName: "sms-events-stream" },
  },
  log: () => {},
  warn: () => {},
  error: () => {},
});

const metricsPort = () =>
  new AppInsightsMetricsSink({
    connectionString: CONNECTION_STRING,
    namespace: "SmsCampaigns",
    transport: fakeIngestion().transport,
  });

describe("the Azure functions against the emulators", () => {
  it("responses: a STOP, a reply, its duplicate and a poison record; the poison is dead-lettered raw and a replay changes nothing", async () => {
    const deadLetters = fakeSender();
    const notifications = fakeSender();
    const sender = new MemorySmsSender();
    const ports = {
      clock: new FakeClock("2026-11-24T10:00:00.000Z"),
      deadLetter: new ServiceBusDeadLetter(deadLetters.sender),
      metrics: metricsPort(),
      responses: new CosmosResponsesStore(await container("responses")),
      optOuts: new CosmosOptOutStore(await container("optOuts")),
      messages: new CosmosMessageLog(await container("messages")),
      notifier: new ServiceBusNotifier(notifications.sender),
      sender,
    };
    const handler = createResponsesHandler({
      ports,
      settings: { helpText: "help", stopConfirmationText: "bye", patterns: [] },
      maxAttempts: 2,
      backoffMs: () => 0,
    });
    const stop = replyEvent("STOP");
    const hello = replyEvent("Happy to hear from you");
    const batch = [stop, hello, hello, POISON];

    const first = await handler(batch, invocation(batch, "1"));
    expect(first).toMatchObject({ records: 4, deadLettered: 1, exhausted: 0 });
    expect(await ports.optOuts.isOptedOut(`+${stop.data.from}`)).toBe(true);
    expect(sender.delivered.map((r) => r.body)).toEqual(["bye"]);
    const eventIdOf = (event: unknown) => {
      const decoded = decodeRecord(JSON.stringify(event));
      if (!decoded.ok) throw new Error("the reply must decode");
      return decoded.events[0].eventId;
    };
    const stored = await ports.responses.get(eventIdOf(hello));
    expect(stored?.response_text).toBe("Happy to hear from you");
    const entry = decodeDeadLetter(deadLetters.sent[0].body);
    expect(new TextDecoder().decode(entry.raw)).toBe(POISON);
    expect(entry.source).toBe("responses:sms-events-stream/1-4");

    const replay = await handler(batch, invocation(batch, "1"));
    expect(replay).toMatchObject({ exhausted: 0 });
    expect(sender.delivered).toHaveLength(1);
    expect(await ports.responses.get(eventIdOf(hello))).toEqual(stored);
    expect(
      await ports.responses.bySubscriber(stored?.subscriber_id ?? stored?.phone_number ?? ""),
    ).toHaveLength(1);
  });

  it("responses: a run of queued events is logged in one bulk write, and its redelivery changes nothing", async () => {
    /** Counts the message log's writes: one bulk write for the run, no single ones. */
    class CountingMessageLog extends CosmosMessageLog {
      readonly writes: string[] = [];
      override record(message: SentMessage) {
        this.writes.push("record");
        return super.record(message);
      }
      override recordAll(messages: SentMessage[]) {
        this.writes.push(`recordAll ${messages.length}`);
        return super.recordAll(messages);
      }
    }
    const messages = new CountingMessageLog(await container("messages"));
    const handler = createResponsesHandler({
      ports: {
        clock: new FakeClock("2026-11-24T10:00:00.000Z"),
        deadLetter: new ServiceBusDeadLetter(fakeSender().sender),
        metrics: metricsPort(),
        responses: new CosmosResponsesStore(await container("responses")),
        optOuts: new CosmosOptOutStore(await container("optOuts")),
        messages,
        notifier: new ServiceBusNotifier(fakeSender().sender),
        sender: new MemorySmsSender(),
      },
      settings: { helpText: "help", stopConfirmationText: "bye", patterns: [] },
      maxAttempts: 1,
    });
    const campaignId = `cmp-${randomUUID()}`;
    const queued = [1, 2, 3].map((n) => ({
      eventId: `evt-${randomUUID()}`,
      schemaVersion: 1,
      kind: "queued",
      occurredAt: `2026-11-24T09:5${n}:00.000Z`,
      provider: "azure-acs",
      phoneNumber: `+1425555${String(n).padStart(4, "0")}`,
      messageId: `msg-${randomUUID()}`,
      campaignId,
      subscriberId: `sub-${n}`,
    }));
    const handled: unknown[] = [];
    const recording = (messages: unknown[], partition: string) => ({
      ...invocation(messages, partition),
      log: (message: unknown, details?: unknown) => {
        if (message === "records handled") handled.push(details);
      },
    });

    const first = await handler(queued, recording(queued, "2"));
    expect(first).toMatchObject({ records: 3, deadLettered: 0, exhausted: 0 });
    // One call for the three records (core's RecordRuns), not one per record.
    expect(handled).toEqual([{ messagesLogged: 3, erasedSkipped: 0 }]);
    expect(messages.writes).toEqual(["recordAll 3"]);
    const logged = await Promise.all(queued.map((event) => messages.get(event.messageId)));
    expect(logged).toEqual(queued.map((event) => expectedSentMessage(event, campaignId)));

    // Event Hubs redelivers the batch (the host's retry): the first record of each id stays.
    const replay = await handler(queued, recording(queued, "2"));
    expect(replay).toMatchObject({ records: 3, deadLettered: 0, exhausted: 0 });
    expect(messages.writes).toEqual(["recordAll 3", "recordAll 3"]);
    expect(await Promise.all(queued.map((event) => messages.get(event.messageId)))).toEqual(logged);
    expect(await messages.lastTo(queued[2].phoneNumber)).toEqual(logged[2]);
  });

  it("archive: one Parquet blob per day under a key the replay overwrites, poison dead-lettered", async () => {
    const deadLetters = fakeSender();
    const archive = new BlobArchiveStore(azure.blobs(), { keyPrefix: `run-${randomUUID().slice(0, 8)}/` });
    const handler = createArchiveHandler({
      ports: {
        clock: new FakeClock(),
        deadLetter: new ServiceBusDeadLetter(deadLetters.sender),
        metrics: metricsPort(),
        messages: new MemoryMessageLog(),
        archive,
      },
      maxAttempts: 2,
      backoffMs: () => 0,
    });
    const batch = [fixture("acs-delivery-report.eventgrid.json"), replyEvent("YES"), POISON];
    await handler(batch, invocation(batch, "0"));
    const keys = await archive.list("events/");
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^events\/dt=\d{4}-\d{2}-\d{2}\//);
    const rows = (
      await Promise.all(keys.map(async (key) => readArchiveObject((await archive.get(key))!)))
    ).flat();
    expect(rows).toHaveLength(2);
    expect(deadLetters.sent).toHaveLength(1);

    await handler(batch, invocation(batch, "0"));
    expect(await archive.list("events/")).toEqual(keys);
  });

  it("archive: drops an erased number's rows when its settings have the salt (archivePortsOf, as deployed), and keeps them without it", async () => {
    const salt = "function-salt-0123456789abcdef";
    const erasedReply = replyEvent("hello from an erased number");
    const erased = `+${erasedReply.data.from}`;
    await new CosmosErasureTombstones(await container("optOuts")).put({
      phoneHash: phoneHash(erased, salt),
      erasedAt: "2026-11-24T09:00:00.000Z",
    });
    await Promise.all([container("messages"), container("pendingReceipts")]);
    const settings = (prefix: string, withSalt: boolean) =>
      parseEnv(ArchiveEnvSchema, {
        SERVICE_BUS_NAMESPACE: "sms.servicebus.windows.net",
        DEAD_LETTER_QUEUE: "sms-dead-letters",
        APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
        COSMOS_ENDPOINT: "https://cosmos.invalid",
        COSMOS_DATABASE: azure.database().id,
        MESSAGE_LOG_CONTAINER: "messages",
        PENDING_RECEIPTS_CONTAINER: "pendingReceipts",
        ARCHIVE_BLOB_ENDPOINT: "https://archive.invalid",
        ARCHIVE_CONTAINER: "archive",
        ARCHIVE_PREFIX: prefix,
        OPT_OUTS_CONTAINER: "optOuts",
        ...(withSalt ? { PHONE_HASH_SALT: salt } : {}),
      });
    // Only the Service Bus and ingestion clients are fakes (no emulator here); Cosmos and Blob are the emulators.
    const clients = {
      cosmos: (name: string) => azure.database().container(name),
      archive: azure.blobs(),
      serviceBus: { createSender: () => fakeSender().sender } as never,
      metricsTransport: fakeIngestion().transport,
    };
    const rowsOf = async (prefix: string) => {
      const archive = new BlobArchiveStore(azure.blobs(), { keyPrefix: prefix });
      const keys = await archive.list("events/");
      return (
        await Promise.all(keys.map(async (key) => readArchiveObject((await archive.get(key))!)))
      ).flat();
    };
    const kept = replyEvent("see you there");
    const batch = [erasedReply, kept];

    const screened = `screened-${randomUUID().slice(0, 8)}/`;
    const handler = createArchiveHandler({
      ports: archivePortsOf(settings(screened, true), clients),
      maxAttempts: 2,
      backoffMs: () => 0,
    });
    await handler(batch, invocation(batch, "0"));
    const rows = await rowsOf(screened);
    expect(rows.map((row) => row.phoneNumber)).toEqual([`+${kept.data.from}`]);
    expect(JSON.stringify(rows)).not.toContain(erasedReply.data.from);

    // Without the salt there are no tombstones to find: both rows are archived.
    const unsalted = `unsalted-${randomUUID().slice(0, 8)}/`;
    const plain = createArchiveHandler({
      ports: archivePortsOf(settings(unsalted, false), clients),
      maxAttempts: 2,
      backoffMs: () => 0,
    });
    await plain(batch, invocation(batch, "0"));
    expect((await rowsOf(unsalted)).map((row) => row.phoneNumber).sort()).toEqual(
      [erased, `+${kept.data.from}`].sort(),
    );
  });
});
