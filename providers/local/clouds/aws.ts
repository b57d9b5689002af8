/**
 * The AWS stack on this machine: kinesis-local for Kinesis, fauxqs for S3, SQS and SNS, DynamoDB
 * Local for the tables (in-memory stores without Java), the three Lambda handlers driven by a
 * Lambda-like event source poller, and the enrollment and ticker Lambda handlers.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { S3ArchiveStore } from "../../aws/runtime/archive-store";
import { SystemClock } from "../../aws/runtime/clock";
import { SqsDeadLetter } from "../../aws/runtime/dead-letter";
import { KinesisEventPublisher } from "../../aws/runtime/event-publisher";
import { SnsNotifier } from "../../aws/runtime/notifier";
import { createLocalResources, LOCAL_REGION, stackShardsOf } from "../bootstrap/resources";
import { loadAwsStackConfig } from "../bootstrap/stack-config";
import { eumFormat } from "../carrier/eum-format";
import { StaleSnapshot } from "../chaos/stale-snapshot";
import { crashStream } from "../chaos/stream-crash";
import { StreamJournal } from "../chaos/stream-journal";
import { StreamOutage } from "../chaos/stream-outage";
import { startEmulators } from "../emulators";
import { kinesisSnapshotFile } from "../emulators/kinesis";
import { ensureStream } from "../emulators/provision";
import { FanOutShardSource } from "../poller/fan-out-source";
import { KinesisShardSource } from "../poller/kinesis-source";
import { EventSourcePoller } from "../poller/poller";
import { SqsOnFailureDestination } from "../poller/sqs-destination";
import { CoalescingPublisher } from "../run/coalescing-publisher";
import type { LocalRunOptions } from "../run/options";
import { dynamoDbStores, memoryStores, type RunStores } from "../run/stores";
import { awsCampaignFunctions } from "./aws-campaign-functions";
import { buildConsumers, FUNCTION_NAMES, mappingSettingsOf } from "./aws-consumers";
import { readDeadLetters } from "./aws-dead-letters";
import { readNotificationIds } from "./aws-notifications";
import type { ConsumerName, LocalCloud, LocalCloudHooks } from "./local-cloud";

/** See LocalRunOptionsSchema.shards. */
const MIN_LOCAL_SHARDS = 8;

/**
 * How often kinesis-local snapshots its streams in a run that kills it. It writes every stream
 * whole each time, so not much more often; what it acknowledges in between is put back from the
 * writer's journal after a crash (chaos/stream-crash.ts).
 */
const KINESIS_SNAPSHOT_MS = 1_000;

const toRecord = (emission: { partitionKey: string; data: Uint8Array }) => ({
  partitionKey: emission.partitionKey,
  data: emission.data,
});

export async function startAwsCloud(options: LocalRunOptions, hooks: LocalCloudHooks): Promise<LocalCloud> {
  const config = loadAwsStackConfig(options.stackFile ?? "Pulumi.aws.yaml");
  // A chaos run that crashes an emulator keeps its data on disk, so the restart recovers it.
  const persistDir =
    options.chaos.kill === "dynamodb" ? await mkdtemp(join(tmpdir(), "sms-dynamodb-")) : undefined;
  const streamDir =
    options.chaos.kill === "kinesis" ? await mkdtemp(join(tmpdir(), "sms-kinesis-")) : undefined;
  const emulators = await startEmulators({
    dynamodb: options.dynamodbLocal,
    ports: options.ports,
    log: hooks.log,
    ...(persistDir ? { persistDir } : {}),
    ...(streamDir ? { kinesisPersistence: { dir: streamDir, intervalMs: KINESIS_SNAPSHOT_MS } } : {}),
  });
  hooks.onEmulatorsStarted?.(emulators.stop);
  try {
    const clients = emulators.clients(hooks.faults);
    const useDynamoDb = emulators.dynamodbEngine === "dynamodb-local";
    const shards = options.shards ?? Math.max(stackShardsOf(config), MIN_LOCAL_SHARDS);
    const resources = await createLocalResources(clients, config, { dynamodb: useDynamoDb, shards });
    if (shards !== stackShardsOf(config)) {
      hooks.log?.(`stream: ${shards} shards locally (the stack has ${stackShardsOf(config)}), see --shards`);
    }
    const stores: RunStores =
      useDynamoDb && resources.tables
        ? dynamoDbStores(clients, resources.tables)
        : memoryStores(
            options.dynamodbLocal
              ? (emulators.dynamodbUnavailableReason ?? "DynamoDB Local is not running")
              : "DynamoDB Local turned off",
          );
    // Senders' events and the carrier's payloads share one writer, so per-shard order is call order.
    const outage = new StreamOutage();
    const journal = streamDir ? new StreamJournal() : undefined;
    const staleSnapshot = streamDir ? new StaleSnapshot(kinesisSnapshotFile(streamDir)) : undefined;
    const writer = new CoalescingPublisher(
      new KinesisEventPublisher(clients.kinesis, resources.streamName, new SystemClock()),
      undefined,
      { outage, ...(journal ? { journal } : {}) },
    );
    const streamSource = () =>
      new KinesisShardSource(clients.kinesis, resources.streamName, resources.streamArn);
    const fanOut = new FanOutShardSource(streamSource(), undefined, undefined, outage);
    const storage = new S3ArchiveStore(clients.s3, resources.bucket);
    const deadLetter = new SqsDeadLetter(clients.sqs, resources.deadLetterQueueUrl);
    let poller: EventSourcePoller | undefined;
    const running = () => {
      if (!poller) throw new Error("the consumers are not started");
      return poller;
    };
    return {
      cloud: "aws",
      provider: "aws-eum",
      config,
      services: [
        { deployed: "Kinesis Data Streams", local: "kinesis-local (npm)", simulated: false },
        { deployed: "S3, SQS, SNS", local: "fauxqs (npm)", simulated: false },
        { deployed: "DynamoDB", local: stores.engine, simulated: !useDynamoDb },
        {
          deployed: "Lambda event source mappings",
          local: "a Lambda-like poller (batching, bisect, retries, on-failure destination)",
          simulated: true,
        },
        { deployed: "End User Messaging SMS", local: "the simulated carrier", simulated: true },
      ],
      stores,
      storage,
      carrierFormat: eumFormat(resources.topics.inbound),
      publisher: writer,
      partitions: { local: resources.shardCount, stack: stackShardsOf(config) },
      // The deployed EventBridge rule and the SNS subscription put the payloads on the stream as they are.
      ingest: async (emissions) => {
        if (emissions.length > 0) await writer.publish(emissions.map(toRecord));
      },
      streamCounts: () => ({ published: writer.published, failed: writer.failed }),
      flush: () => writer.flush(),
      async startConsumers(wiring) {
        const consumerOf = new Map<string, ConsumerName>(
          Object.entries(FUNCTION_NAMES).map(([consumer, name]) => [name, consumer as ConsumerName]),
        );
        poller = new EventSourcePoller(
          fanOut,
          buildConsumers({
            settings: mappingSettingsOf(config),
            onFailure: new SqsOnFailureDestination(clients.sqs, resources.deadLetterQueueUrl),
            deadLetter,
            metrics: wiring.metrics,
            archive: storage,
            stores,
            notifier: new SnsNotifier(clients.sns, resources.topics.notifications),
            autoReplies: wiring.autoReplies,
            journeyRouting: wiring.journeyRouting,
            responsesClock: wiring.responsesClock,
            responsesSettings: wiring.responsesSettings,
            functionLogs: options.functionLogs,
            circuitBreaker: wiring.circuitBreaker,
          }),
          {
            region: LOCAL_REGION,
            onBatch: (name, records) => {
              const consumer = consumerOf.get(name);
              if (consumer) wiring.onBatch?.(consumer, records);
            },
          },
        );
        await poller.start();
      },
      settle: (consumer) => running().settle(FUNCTION_NAMES[consumer]),
      finishConsumers: () => running().finishWhenCaughtUp(),
      consumerStats: () => poller?.stats() ?? {},
      campaignFunctions: (wiring) =>
        awsCampaignFunctions({
          ports: { ...wiring.ports, deadLetter },
          storage,
          bucket: resources.bucket,
          settings: wiring.settings,
          chunkRows: wiring.chunkRows,
          codeJourneys: wiring.codeJourneys,
          ...(wiring.revocationMonitor ? { revocationMonitor: wiring.revocationMonitor } : {}),
          functionLogs: options.functionLogs,
        }),
      deadLetters: () => readDeadLetters(clients.sqs, resources.deadLetterQueueUrl),
      crash: async (emulator, downMs) => {
        if (emulator === "dynamodb") {
          await emulators.crashDynamodb(downMs);
          return {};
        }
        if (!journal) throw new Error("the stream keeps no journal: start the run with --chaos kill=kinesis");
        return {
          ...(await crashStream({
            outage,
            writer,
            journal,
            crash: (whileDown) => emulators.crashKinesis(downMs, whileDown),
            ensureStream: () =>
              ensureStream(clients.kinesis, resources.streamName, {
                shards: resources.shardCount,
                retentionHours: config.streamRetentionHours,
              }),
            source: streamSource(),
            ...(staleSnapshot ? { staleSnapshot } : {}),
          })),
        };
      },
      armCrash: async (emulator) => {
        if (emulator === "kinesis") await staleSnapshot?.keep();
      },
      recoveryFigures: () => ({
        writerOutageRetries: writer.outageRetries,
        putBack: writer.putBackCount,
        shardsRealigned: fanOut.realignedShards,
      }),
      notificationIds: () => readNotificationIds(clients.sqs, resources.notificationsQueueUrl),
      stop: async () => {
        await emulators.stop();
        for (const dir of [persistDir, streamDir]) if (dir) await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
