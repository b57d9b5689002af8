/**
 * `npm start`: a whole campaign on this machine, through the real AWS Lambda handlers.
 * Emulators up -> resources as the stack defines them -> seeded audience -> the one-time
 * confirmation campaign through the campaign engine and the simulated carrier -> native events on
 * kinesis-local -> the poller drives the three functions -> figures read back from the archive,
 * the responses table and the dead-letter queue -> invariants.
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { Budget } from "../../../core/campaign/budget";
import { createPacer } from "../../../core/campaign/pacer";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { runCampaign } from "../../../core/campaign/run";
import type { StreamRecord } from "../../../core/ports";
import { S3ArchiveStore } from "../../aws/runtime/archive-store";
import { SystemClock } from "../../aws/runtime/clock";
import { SqsDeadLetter } from "../../aws/runtime/dead-letter";
import { KinesisEventPublisher } from "../../aws/runtime/event-publisher";
import { SnsNotifier } from "../../aws/runtime/notifier";
import { audienceCsv, generateAudience } from "../bootstrap/audience";
import { createLocalResources, LOCAL_REGION, stackShardsOf } from "../bootstrap/resources";
import { loadAwsStackConfig } from "../bootstrap/stack-config";
import { type CarrierEmission, SimulatedCarrier } from "../carrier/carrier";
import { startEmulators } from "../emulators";
import { FanOutShardSource } from "../poller/fan-out-source";
import { KinesisShardSource } from "../poller/kinesis-source";
import { EventSourcePoller } from "../poller/poller";
import { SqsOnFailureDestination } from "../poller/sqs-destination";
import type { RunSummary } from "../report/run-summary";
import { FakeClock, MemoryMetricsSink, MemorySmsSender } from "../runtime/memory";
import { CoalescingPublisher } from "./coalescing-publisher";
import { downloadArchive, readDeadLetters } from "./collect";
import { buildConsumers, FUNCTION_NAMES, mappingSettingsOf } from "./consumers";
import { buildRunSummary } from "./figures";
import { type LocalRunInput, LocalRunOptionsSchema } from "./options";
import { dynamoDbStores, memoryStores, type RunStores } from "./stores";

export type RunPhase = "emulators" | "bootstrap" | "campaign" | "stream" | "collect";

export interface RunHooks {
  log?: (line: string) => void;
  onPhase?: (phase: RunPhase, total: number) => void;
  onProgress?: (phase: RunPhase, done: number, total: number) => void;
  /** Hands over the emulators' stop, so an interrupted run (Ctrl-C) can still stop them. */
  onEmulatorsStarted?: (stop: () => Promise<void>) => void;
}

export const CAMPAIGN_ID = "local-confirmation";
export const CONFIRMATION_TEMPLATE =
  "Hi {{first_name}}, please confirm your appointment tomorrow: reply YES. Reply HELP for help, STOP to opt out.";

/** See LocalRunOptionsSchema.shards. */
const MIN_LOCAL_SHARDS = 8;

/** Carrier emissions older than this (simulated) are safe to publish while sends are still in flight. */
const EMISSION_SAFETY_MS = 10_000;

const toRecord = (emission: CarrierEmission): StreamRecord => ({
  partitionKey: emission.partitionKey,
  data: emission.data,
});

export async function runLocal(input: LocalRunInput, hooks: RunHooks = {}): Promise<RunSummary> {
  const options = LocalRunOptionsSchema.parse(input);
  const startedAt = performance.now();
  const phaseSeconds: Partial<Record<RunPhase, number>> = {};
  let currentPhase: { phase: RunPhase; at: number } | undefined;
  const enterPhase = (phase: RunPhase, total: number) => {
    const now = performance.now();
    if (currentPhase) phaseSeconds[currentPhase.phase] = Math.round(now - currentPhase.at) / 1000;
    currentPhase = { phase, at: now };
    hooks.onPhase?.(phase, total);
  };
  const config = loadAwsStackConfig(options.stackFile);

  enterPhase("emulators", 3);
  const emulators = await startEmulators({
    dynamodb: options.dynamodbLocal,
    ports: options.ports,
    log: hooks.log,
  });
  hooks.onEmulatorsStarted?.(emulators.stop);
  try {
    const clients = emulators.clients();
    enterPhase("bootstrap", 1);
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
    hooks.log?.(`DynamoDB: ${stores.engine}`);

    // The audience, with its pre-existing opt-outs already on the list.
    const simulatedStart = new Date(options.at);
    const audience = generateAudience(options.subscribers, options.seed);
    const preOptedOut = audience.filter((member) => member.optedOut);
    const optOutStores = new Set([stores.optOuts, stores.campaignOptOuts]);
    await Promise.all(
      preOptedOut.map(async (member) => {
        const e164 = normalizePhoneNumber(member.phoneNumber)?.e164;
        if (!e164) return;
        for (const store of optOutStores) {
          await store.optOut(e164, simulatedStart.toISOString(), `import:${member.subscriberId}`);
        }
      }),
    );

    // The stream and the functions reading it, started before the first send, as deployed.
    const writer = new CoalescingPublisher(
      new KinesisEventPublisher(clients.kinesis, resources.streamName, new SystemClock()),
    );
    const archive = new S3ArchiveStore(clients.s3, resources.bucket);
    const analyticsMetrics = new MemoryMetricsSink();
    const autoReplies = new MemorySmsSender();
    const processed = new Map<string, number>();
    const poller = new EventSourcePoller(
      new FanOutShardSource(
        new KinesisShardSource(clients.kinesis, resources.streamName, resources.streamArn),
      ),
      buildConsumers({
        settings: mappingSettingsOf(config),
        onFailure: new SqsOnFailureDestination(clients.sqs, resources.deadLetterQueueUrl),
        deadLetter: new SqsDeadLetter(clients.sqs, resources.deadLetterQueueUrl),
        metrics: analyticsMetrics,
        archive,
        stores,
        notifier: new SnsNotifier(clients.sns, resources.topics.notifications),
        autoReplies,
        responsesSettings: {
          helpText: config.helpText,
          stopConfirmationText: config.stopConfirmationText,
          patterns: config.notificationPatterns,
          senderNumber: options.originationNumber,
        },
      }),
      {
        region: LOCAL_REGION,
        onBatch: (consumer, records) => {
          processed.set(consumer, (processed.get(consumer) ?? 0) + records);
          const slowest = Math.min(...Object.values(FUNCTION_NAMES).map((name) => processed.get(name) ?? 0));
          hooks.onProgress?.("stream", slowest, writer.published);
        },
      },
    );
    await poller.start();

    // The campaign, on a simulated clock, through the simulated carrier.
    enterPhase("campaign", audience.length);
    const clock = new FakeClock(simulatedStart);
    const carrier = new SimulatedCarrier({
      seed: options.seed,
      clock,
      rates: options.rates,
      originationNumber: options.originationNumber,
      inboundTopicArn: resources.topics.inbound,
    });
    const emissionWrites: Promise<unknown>[] = [];
    const publishDue = (until: Date) => {
      const due = carrier.takeDue(until);
      if (due.length > 0) emissionWrites.push(writer.publish(due.map(toRecord)));
    };
    let outcomes = 0;
    const campaign = await runCampaign(
      { campaignId: CAMPAIGN_ID, template: CONFIRMATION_TEMPLATE, messageType: "transactional" },
      () => readAudienceCsv(Readable.from([audienceCsv(audience)])),
      {
        sender: carrier,
        provider: "aws-eum",
        ledger: stores.campaignLedger,
        optOuts: stores.campaignOptOuts,
        publisher: writer,
        clock,
        pacer: createPacer(options.mps, clock),
        budget: new Budget(),
        requestDefaults: { from: options.originationNumber },
      },
      {
        concurrency: options.concurrency,
        onOutcome: () => {
          outcomes++;
          if (outcomes % 100 === 0) {
            publishDue(new Date(clock.now().getTime() - EMISSION_SAFETY_MS));
            hooks.onProgress?.("campaign", outcomes, audience.length);
          }
        },
      },
    );
    hooks.onProgress?.("campaign", audience.length, audience.length);
    // Everything the carrier still has to say (late receipts, replies), in time order.
    const rest = carrier.takeAll();
    if (rest.length > 0) emissionWrites.push(writer.publish(rest.map(toRecord)));
    await Promise.all(emissionWrites);
    await writer.flush();

    enterPhase("stream", writer.published);
    await poller.finishWhenCaughtUp();

    enterPhase("collect", 1);
    const outDir = options.out;
    await rm(join(outDir, "archive"), { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    const downloaded = await downloadArchive(archive, join(outDir, "archive"));
    const deadLetters = await readDeadLetters(clients.sqs, resources.deadLetterQueueUrl);
    const responsesStored = await stores.countResponses();
    phaseSeconds.collect = Math.round(performance.now() - (currentPhase?.at ?? 0)) / 1000;
    const wallSeconds = (performance.now() - startedAt) / 1000;

    return buildRunSummary({
      options,
      dynamodb: stores.engine,
      audience,
      campaign,
      carrier: carrier.stats,
      archive: downloaded,
      deadLetters,
      responsesStored,
      eventsPublished: writer.published,
      publishFailures: writer.failed,
      consumers: poller.stats(),
      autoReplies: autoReplies.delivered.length,
      analyticsDatums: analyticsMetrics.datums,
      alarmThresholds: config.alarms,
      wallSeconds,
      phaseSeconds,
      shards: { local: resources.shardCount, stack: stackShardsOf(config) },
    });
  } finally {
    await emulators.stop();
  }
}
