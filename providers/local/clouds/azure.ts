/**
 * The Azure stack on this machine: Azurite for Blob Storage (the archive and audience containers),
 * cosmosdb-server for Cosmos DB (responses, opt-outs, message log), and, where this machine has no
 * emulator, in-process stand-ins: an Event Hub with the stack's partitions and a Functions host
 * delivering its batches to the three real Functions v4 handlers (eventhubs/), Event Grid's
 * deliveries (ACS events into the hub, BlobCreated into the enrollment queue), and Service Bus
 * queues (dead letter, enrollment, notifications). The campaigns app's enrollment and ticker
 * handlers run on their native trigger payloads.
 */
import { BlobServiceClient } from "@azure/storage-blob";
import { type RunningAzurite, startAzuriteBlob, startCosmosServer } from "../../azure/emulators";
import { BlobAudienceStore } from "../../azure/runtime/audience-store";
import { ServiceBusDeadLetter } from "../../azure/runtime/dead-letter";
import { EventHubsEventPublisher } from "../../azure/runtime/event-publisher";
import { ServiceBusNotifier } from "../../azure/runtime/notifier";
import { loadAzureStackConfig } from "../bootstrap/stack-config";
import { acsFormat } from "../carrier/acs-format";
import type { RunningEmulator } from "../emulators/kinesis";
import { EventHubConsumerGroup } from "../eventhubs/function-host";
import { InProcessEventHub } from "../eventhubs/hub";
import { CoalescingPublisher } from "../run/coalescing-publisher";
import type { LocalRunOptions } from "../run/options";
import { MemoryMetricsSink } from "../runtime/memory";
import { InProcessQueue } from "../servicebus/in-process-queue";
import { azureCampaignFunctions } from "./azure-campaign-functions";
import { buildAzureConsumers, triggerSettingsOf } from "./azure-consumers";
import { type AbandonedBatch, sortAzureDeadLetters } from "./azure-dead-letters";
import { AzureStackStorage } from "./azure-storage";
import { cosmosStores, createCosmosContainers } from "./azure-stores";
import { CONSUMERS, type ConsumerName, type LocalCloud, type LocalCloudHooks } from "./local-cloud";

export const HUB_NAME = "sms-events";
export const CONTAINER_NAMES = { archive: "archive", audience: "audience" } as const;

export async function startAzureCloud(options: LocalRunOptions, hooks: LocalCloudHooks): Promise<LocalCloud> {
  const config = loadAzureStackConfig(options.stackFile ?? "Pulumi.azure.yaml");
  const started: { cosmos?: RunningEmulator; azurite?: RunningAzurite } = {};
  const stopEmulators = async () => {
    await Promise.all([started.cosmos?.process.stop(), started.azurite?.process.stop()]);
  };
  hooks.onEmulatorsStarted?.(stopEmulators);
  try {
    const [cosmos, azurite] = await Promise.all([
      startCosmosServer({ log: hooks.log }).then((running) => (started.cosmos = running)),
      startAzuriteBlob({ log: hooks.log }).then((running) => (started.azurite = running)),
    ]);
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const archiveContainer = blobs.getContainerClient(CONTAINER_NAMES.archive);
    const audienceContainer = blobs.getContainerClient(CONTAINER_NAMES.audience);
    await Promise.all([archiveContainer.createIfNotExists(), audienceContainer.createIfNotExists()]);
    const stores = cosmosStores(await createCosmosContainers(cosmos.endpoint));
    const storage = new AzureStackStorage({ archive: archiveContainer, audience: audienceContainer });

    const partitions = options.shards ?? config.partitionCount;
    if (partitions !== config.partitionCount) {
      hooks.log?.(
        `stream: ${partitions} partitions locally (the stack has ${config.partitionCount}), see --shards`,
      );
    }
    const hub = new InProcessEventHub(HUB_NAME, partitions);
    // Senders' events and Event Grid's deliveries share one writer, so per-partition order is call order.
    const writer = new CoalescingPublisher(new EventHubsEventPublisher(hub.producer()));
    const queues = {
      deadLetter: new InProcessQueue("dead-letter"),
      enrollment: new InProcessQueue("enrollment", { duplicateDetection: true }),
      notifications: new InProcessQueue("notifications", { duplicateDetection: true }),
    };
    const deadLetter = new ServiceBusDeadLetter(queues.deadLetter.sender);
    const abandoned: AbandonedBatch[] = [];
    const groups = new Map<ConsumerName, EventHubConsumerGroup>();
    const group = (consumer: ConsumerName) => {
      const found = groups.get(consumer);
      if (!found) throw new Error("the consumers are not started");
      return found;
    };
    const trigger = { ...triggerSettingsOf(config), functionLogs: options.functionLogs };
    return {
      cloud: "azure",
      provider: "azure-acs",
      config,
      services: [
        {
          deployed: "Event Hubs",
          local: `an in-process hub (${partitions} partitions, partition keys, one consumer group per function)`,
          simulated: true,
        },
        {
          deployed: "Functions triggers",
          local: `an in-process Functions host (cardinality many, up to ${trigger.maxEventBatchSize} events, checkpoint after each batch, ${trigger.retry.maxRetryCount} retries)`,
          simulated: true,
        },
        {
          deployed: "Event Grid",
          local: "in-process delivery (ACS events into the hub, BlobCreated into the enrollment queue)",
          simulated: true,
        },
        { deployed: "Blob Storage", local: "Azurite (npm)", simulated: false },
        { deployed: "Cosmos DB", local: "cosmosdb-server (npm)", simulated: false },
        {
          deployed: "Service Bus",
          local: "in-process queues (dead letter, enrollment, notifications)",
          simulated: true,
        },
        {
          deployed: "ACS SMS",
          local: "the simulated carrier (ACS events, Event Grid schema)",
          simulated: true,
        },
      ],
      stores,
      storage,
      carrierFormat: acsFormat(),
      publisher: writer,
      partitions: { local: partitions, stack: config.partitionCount },
      // The system topic's subscriptions put each delivery on the hub as Event Grid sends it;
      // a garbled one arrives as the broken transport left it.
      ingest: async (emissions) => {
        if (emissions.length === 0) return;
        await writer.publish(emissions.map(({ partitionKey, data }) => ({ partitionKey, data })));
      },
      streamCounts: () => ({ published: writer.published, failed: writer.failed }),
      flush: () => writer.flush(),
      async startConsumers(wiring) {
        const functions = buildAzureConsumers({
          recordMaxAttempts: config.recordMaxAttempts,
          deadLetter,
          metrics: wiring.metrics,
          operationalMetrics: new MemoryMetricsSink(),
          archive: storage.archive,
          stores,
          notifier: new ServiceBusNotifier(queues.notifications.sender),
          autoReplies: wiring.autoReplies,
          responsesSettings: wiring.responsesSettings,
          journeyRouting: wiring.journeyRouting,
          responsesClock: wiring.responsesClock,
          circuitBreaker: wiring.circuitBreaker,
        });
        for (const consumer of Object.values(CONSUMERS)) {
          const consumerGroup = new EventHubConsumerGroup(hub, consumer, functions[consumer], trigger, {
            onBatch: (records) => wiring.onBatch?.(consumer, records),
            onAbandoned: (events) => abandoned.push({ consumer, records: events.length }),
          });
          groups.set(consumer, consumerGroup);
          consumerGroup.start();
        }
      },
      settle: (consumer) => group(consumer).caughtUp(),
      async finishConsumers() {
        const all = [...groups.values()];
        await Promise.all(all.map((consumerGroup) => consumerGroup.caughtUp()));
        await Promise.all(all.map((consumerGroup) => consumerGroup.stop()));
      },
      consumerStats: () =>
        Object.fromEntries([...groups].map(([consumer, consumerGroup]) => [consumer, consumerGroup.stats()])),
      campaignFunctions: (wiring) =>
        azureCampaignFunctions({
          ports: { ...wiring.ports, deadLetter },
          audience: new BlobAudienceStore(audienceContainer),
          audienceContainer: CONTAINER_NAMES.audience,
          queue: queues.enrollment,
          settings: wiring.settings,
          chunkRows: wiring.chunkRows,
          codeJourneys: wiring.codeJourneys,
          ...(wiring.revocationMonitor ? { revocationMonitor: wiring.revocationMonitor } : {}),
          functionLogs: options.functionLogs,
        }),
      deadLetters: async () => sortAzureDeadLetters(queues.deadLetter.messages, abandoned),
      // The in-process topic keeps what arrived; its duplicate detection drops a replayed id, as the stack's does.
      notificationIds: async () => queues.notifications.messages.map((message) => String(message.messageId)),
      async stop() {
        await Promise.all([...groups.values()].map((consumerGroup) => consumerGroup.stop()));
        await stopEmulators();
      },
    };
  } catch (error) {
    await stopEmulators();
    throw error;
  }
}
