/**
 * `npm start`: a whole campaign on this machine, through the real AWS Lambda handlers.
 * Emulators up -> resources as the stack defines them -> seeded audience -> the one-time
 * confirmation campaign through the campaign engine and the simulated carrier -> the Welcome Series
 * launched as a campaign, enrolled and ticked on the simulated clock, its replies routed by the
 * responses function -> native events on kinesis-local -> the poller drives the three functions ->
 * figures read back from the archive, the responses table, the campaign store and the dead-letter
 * queue -> invariants.
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { Budget } from "../../../core/campaign/budget";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { createPacer } from "../../../core/campaign/pacer";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { runCampaign } from "../../../core/campaign/run";
import type { StreamRecord } from "../../../core/ports";
import { journeyDefinitions, welcomeSeries } from "../../../journeys";
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
import { heldSendsOf } from "../report/held-sends";
import type { RunSummary } from "../report/run-summary";
import { campaignStepsOf } from "../report/step-rows";
import { FakeClock, MemoryMetricsSink, MemorySmsSender } from "../runtime/memory";
import { awsCampaignFunctions } from "./campaign-functions";
import { CoalescingPublisher } from "./coalescing-publisher";
import { downloadArchive, readDeadLetters } from "./collect";
import { buildConsumers, FUNCTION_NAMES, mappingSettingsOf } from "./consumers";
import { buildRunSummary } from "./figures";
import { runJourneyCampaign } from "./journey-run";
import { type LocalRunInput, LocalRunOptionsSchema } from "./options";
import { dynamoDbStores, memoryStores, type RunStores } from "./stores";

export type RunPhase = "emulators" | "bootstrap" | "campaign" | "journey" | "stream" | "collect";

export interface RunHooks {
  log?: (line: string) => void;
  onPhase?: (phase: RunPhase, total: number) => void;
  onProgress?: (phase: RunPhase, done: number, total: number) => void;
  /** Hands over the emulators' stop, so an interrupted run (Ctrl-C) can still stop them. */
  onEmulatorsStarted?: (stop: () => Promise<void>) => void;
}

export const CAMPAIGN_ID = "local-confirmation";
/** The Welcome Series runs as this launched campaign (a campaign id must differ from the code's journey ids). */
export const WELCOME_CAMPAIGN_ID = "local-welcome";
export const CONFIRMATION_TEMPLATE =
  "Hi {{first_name}}, please confirm your appointment tomorrow: reply YES. Reply HELP for help, STOP to opt out.";

/** The one step of a one-message campaign (runCampaign's send key). */
const CONFIRMATION_STEP = "send";

/** See LocalRunOptionsSchema.shards. */
const MIN_LOCAL_SHARDS = 8;

/** Carrier emissions older than this (simulated) are safe to publish while sends are still in flight. */
const EMISSION_SAFETY_MS = 10_000;

const toRecord = (emission: CarrierEmission): StreamRecord => ({
  partitionKey: emission.partitionKey,
  data: emission.data,
});

const isReply = (emission: CarrierEmission) =>
  emission.kind === "reply" || emission.kind === "duplicate_reply";

/** The next whole simulated minute at or after `at`, so the launch reads well in the report. */
const nextMinute = (at: number) => new Date(Math.ceil(at / 60_000) * 60_000);

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
    await Promise.all(
      preOptedOut.map(async (member) => {
        const e164 = normalizePhoneNumber(member.phoneNumber)?.e164;
        if (!e164) return;
        // The functions' store mirrors it into the senders' view (see stores.ts).
        await stores.optOuts.optOut(e164, simulatedStart.toISOString(), `import:${member.subscriberId}`);
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
    const clock = new FakeClock(simulatedStart);
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
        journeyRouting: {
          journeys: stores.journeys,
          subscribers: stores.subscribers,
          definitions: new JourneyCatalog(journeyDefinitions, stores.campaigns),
          campaigns: stores.campaigns,
        },
        responsesClock: clock,
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
    // Everything the carrier still has to say about the confirmation (late receipts, replies), in
    // time order; the Welcome Series starts once it is said and the responses function has it all.
    const rest = carrier.takeAll();
    if (rest.length > 0) emissionWrites.push(writer.publish(rest.map(toRecord)));
    await Promise.all(emissionWrites);
    await writer.flush();
    await poller.settle(FUNCTION_NAMES.responses);
    const lastEmission = Math.max(clock.now().getTime(), ...rest.map((emission) => emission.at.getTime()));
    clock.set(nextMinute(lastEmission));

    // The Welcome Series, launched into the stack: enrollment function, then the ticker every tick.
    enterPhase("journey", 1);
    const journey = await runJourneyCampaign(
      {
        campaignId: WELCOME_CAMPAIGN_ID,
        journey: welcomeSeries,
        audienceCsv: audienceCsv(audience),
        intervalSeconds: options.tickSeconds,
      },
      {
        functions: awsCampaignFunctions({
          ports: {
            clock,
            sender: carrier,
            ledger: stores.campaignLedger,
            optOuts: stores.campaignOptOuts,
            publisher: writer,
            journeys: stores.journeys,
            subscribers: stores.subscribers,
            campaigns: stores.campaigns,
            deadLetter: new SqsDeadLetter(clients.sqs, resources.deadLetterQueueUrl),
          },
          storage: archive,
          bucket: resources.bucket,
          settings: { mps: options.mps, intervalSeconds: options.tickSeconds },
          chunkRows: options.enrollmentChunkRows,
          codeJourneys: journeyDefinitions,
        }),
        campaigns: stores.campaigns,
        journeys: stores.journeys,
        storage: archive,
        clock,
        beforeTick: async (at) => {
          const due = carrier.takeDue(at);
          if (due.length === 0) return 0;
          await writer.publish(due.map(toRecord));
          // A reply must reach the responses function before the tick that acts on it.
          if (due.some(isReply)) await poller.settle(FUNCTION_NAMES.responses);
          return due.length;
        },
        onProgress: (ticks, total) => hooks.onProgress?.("journey", ticks, total),
      },
    );
    const late = carrier.takeAll();
    if (late.length > 0) await writer.publish(late.map(toRecord));
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
    const welcomeRecord = await stores.campaigns.get(WELCOME_CAMPAIGN_ID);
    // Every waiting journey (none wakes later than this), to find the sends still held.
    const waiting = await stores.journeys.due(new Date(Date.UTC(9999, 0)).toISOString(), 1_000_000);
    const heldSends = heldSendsOf(waiting, WELCOME_CAMPAIGN_ID, welcomeRecord?.steps ?? []);
    const campaignSteps = [
      campaignStepsOf(CAMPAIGN_ID, [
        {
          type: "send",
          id: CONFIRMATION_STEP,
          template: CONFIRMATION_TEMPLATE,
          messageType: "transactional",
        },
      ]),
      campaignStepsOf(WELCOME_CAMPAIGN_ID, welcomeRecord?.steps ?? []),
    ];
    phaseSeconds.collect = Math.round(performance.now() - (currentPhase?.at ?? 0)) / 1000;
    const wallSeconds = (performance.now() - startedAt) / 1000;

    return buildRunSummary({
      options,
      dynamodb: stores.engine,
      audience,
      campaign,
      journey,
      carrier: carrier.stats,
      campaignSteps,
      heldSends,
      archive: downloaded,
      deadLetters,
      responsesStored,
      eventsPublished: writer.published,
      publishFailures: writer.failed,
      consumers: poller.stats(),
      autoReplies: autoReplies.delivered,
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
