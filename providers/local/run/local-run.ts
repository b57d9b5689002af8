/**
 * `npm start`: a whole campaign on this machine, through one cloud's real function handlers
 * (`--cloud aws|azure|gcp`, clouds/). Emulators up -> resources as the stack defines them -> seeded
 * audience -> the one-time confirmation campaign through the campaign engine and the simulated
 * carrier -> the Welcome Series launched as a campaign, enrolled and ticked on the simulated clock,
 * its replies routed by the responses function -> native events on the cloud's stream -> its three
 * consumers -> figures read back from the archive, the responses store, the campaign store and the
 * dead letter -> invariants. Nothing here knows which cloud runs.
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { Budget } from "../../../core/campaign/budget";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { createPacer } from "../../../core/campaign/pacer";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { withRetry } from "../../../core/campaign/retry";
import { runCampaign } from "../../../core/campaign/run";
import { sendKeyOf } from "../../../core/campaign/send-key";
import type { SendRequest, SmsSender } from "../../../core/ports";
import { journeyDefinitions, welcomeSeries } from "../../../journeys";
import { audienceCsv, generateAudience } from "../bootstrap/audience";
import { type CarrierEmission, SimulatedCarrier } from "../carrier/carrier";
import { FaultInjector } from "../chaos/fault-injector";
import { ThrottlingSender } from "../chaos/throttling-sender";
import { startLocalCloud } from "../clouds";
import { CONSUMERS, type ConsumerName } from "../clouds/local-cloud";
import { breakerSummaryOf } from "../report/breaker-summary";
import { heldSendsOf } from "../report/held-sends";
import type { RunSummary } from "../report/run-summary";
import { campaignStepsOf } from "../report/step-rows";
import { FakeClock, MemoryMetricsSink, MemorySmsSender } from "../runtime/memory";
import { downloadArchive } from "./collect";
import { buildRunSummary } from "./figures";
import { runJourneyCampaign } from "./journey-run";
import { type LocalRunInput, LocalRunOptionsSchema } from "./options";
import { finishRevocationSla, revocationMonitorOf } from "./revocation-run";

export type RunPhase = "emulators" | "bootstrap" | "campaign" | "journey" | "stream" | "collect";

export interface RunHooks {
  log?: (line: string) => void;
  onPhase?: (phase: RunPhase, total: number) => void;
  onProgress?: (phase: RunPhase, done: number, total: number) => void;
  /** Hands over the emulators' stop, so an interrupted run (Ctrl-C) can still stop them. */
  onEmulatorsStarted?: (stop: () => Promise<void>) => void;
  /** Every message handed to the carrier or the auto-reply sender (a test checks none reaches a log). */
  onSend?: (request: SendRequest) => void;
}

/**
 * Keys the phone hashes the local run's notifications carry. Fixed, so a hash can be followed
 * from run to run on this machine; a deployed stack takes its own secret salt from the stack config.
 */
export const LOCAL_PHONE_HASH_SALT = "sms-local-run-phone-hash-salt";

/** The sender, telling `onSend` about each request first. */
const observed = (sender: SmsSender, onSend: RunHooks["onSend"]): SmsSender =>
  onSend
    ? {
        send: (request) => {
          onSend(request);
          return sender.send(request);
        },
      }
    : sender;

export const CAMPAIGN_ID = "local-confirmation";
/** The Welcome Series runs as this launched campaign (a campaign id must differ from the code's journey ids). */
export const WELCOME_CAMPAIGN_ID = "local-welcome";
export const CONFIRMATION_TEMPLATE =
  "Hi {{first_name}}, please confirm your appointment tomorrow: reply YES. Reply HELP for help, STOP to opt out.";

/** The one step of a one-message campaign (runCampaign's send key). */
const CONFIRMATION_STEP = "send";

/** Carrier emissions older than this (simulated) are safe to publish while sends are still in flight. */
const EMISSION_SAFETY_MS = 10_000;

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

  enterPhase("emulators", 3);
  const faults =
    options.chaos.throttle > 0 ? new FaultInjector(options.chaos.throttle, options.seed) : undefined;
  const cloud = await startLocalCloud(options, { ...hooks, faults });
  try {
    enterPhase("bootstrap", 1);
    const { stores, config } = cloud;
    for (const service of cloud.services) {
      hooks.log?.(
        `${service.deployed}: ${service.local}${service.simulated ? " (simulated in-process)" : ""}`,
      );
    }

    // The audience, with its pre-existing opt-outs already on the list.
    const simulatedStart = new Date(options.at);
    const audience = generateAudience(options.subscribers, options.seed);
    // An opt-out on an invalid number has nothing to import.
    const importedOptOuts = audience.flatMap((member) => {
      const e164 = member.optedOut ? normalizePhoneNumber(member.phoneNumber)?.e164 : undefined;
      return e164 ? [{ e164, subscriberId: member.subscriberId }] : [];
    });
    await Promise.all(
      importedOptOuts.map(async ({ e164, subscriberId }) => {
        // The functions' store mirrors it into the senders' view (see stores.ts).
        await stores.optOuts.optOut(e164, simulatedStart.toISOString(), `import:${subscriberId}`);
      }),
    );

    // The circuit breaker runs in the analytics function with the stack's settings: by default
    // under --spike only, as the seeded runs' rates are far above carrier guidance on purpose.
    const breaker =
      (options.circuitBreaker ?? options.spike > 0) && config.circuitBreaker.enabled
        ? config.circuitBreaker
        : undefined;

    // The stream and the functions reading it, started before the first send, as deployed.
    const analyticsMetrics = new MemoryMetricsSink();
    const autoReplies = new MemorySmsSender();
    const processed = new Map<ConsumerName, number>();
    const clock = new FakeClock(simulatedStart);
    await cloud.startConsumers({
      metrics: analyticsMetrics,
      autoReplies: observed(autoReplies, hooks.onSend),
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
        phoneHashSalt: LOCAL_PHONE_HASH_SALT,
      },
      ...(breaker ? { circuitBreaker: breaker } : {}),
      onBatch: (consumer, records) => {
        processed.set(consumer, (processed.get(consumer) ?? 0) + records);
        const slowest = Math.min(...Object.values(CONSUMERS).map((name) => processed.get(name) ?? 0));
        hooks.onProgress?.("stream", slowest, cloud.streamCounts().published);
      },
    });

    // The campaign, on a simulated clock, through the simulated carrier.
    enterPhase("campaign", audience.length);
    const carrier = new SimulatedCarrier({
      seed: options.seed,
      clock,
      rates: options.rates,
      originationNumber: options.originationNumber,
      format: cloud.carrierFormat,
      // --spike: mid-run, the carrier starts blocking a share of the Welcome Series' messages.
      ...(options.spike > 0 ? { spike: { campaignId: WELCOME_CAMPAIGN_ID, share: options.spike } } : {}),
    });
    const sender = observed(carrier, hooks.onSend);
    // Under --chaos a share of the sends answer 429: the confirmation retries them as `smsctl
    // campaign send` does (with attempts enough that a fifth throttled still sends all), a journey
    // step as the deployed ticker does (at a later tick).
    const journeySender = faults ? new ThrottlingSender(sender, faults) : sender;
    const campaignSender = faults ? withRetry(journeySender, { clock, maxAttempts: 10 }) : sender;
    if (faults) faults.armed = true;
    // --chaos kill=dynamodb: the store dies halfway through the confirmation while the consumers read on.
    let crash: Promise<void> | undefined;
    let armed: Promise<void> = Promise.resolve();
    let crashes = 0;
    const recovery: Record<string, number> = {};
    // A quarter of the way through, the crash fixes what the emulator will restart from.
    const armCrash = async () => {
      if (options.chaos.kill) await cloud.armCrash?.(options.chaos.kill);
    };
    const crashMidCampaign = async () => {
      if (!options.chaos.kill || !cloud.crash) return;
      hooks.log?.(`chaos: killing ${options.chaos.kill} (SIGKILL), back in ${options.chaos.down} s`);
      Object.assign(recovery, await cloud.crash(options.chaos.kill, options.chaos.down * 1000));
      crashes++;
      // Google's Pub/Sub emulator keeps nothing: the run made its topics whole (chaos/pubsub-crash.ts).
      const from = options.chaos.kill === "pubsub" ? "empty, its topics made whole" : "on its data";
      hooks.log?.(`chaos: ${options.chaos.kill} restarted ${from}`);
    };
    const emissionWrites: Promise<unknown>[] = [];
    const publishDue = (until: Date) => {
      const due = carrier.takeDue(until);
      if (due.length > 0) emissionWrites.push(cloud.ingest(due));
    };
    let outcomes = 0;
    const campaign = await runCampaign(
      { campaignId: CAMPAIGN_ID, template: CONFIRMATION_TEMPLATE, messageType: "transactional" },
      () => readAudienceCsv(Readable.from([audienceCsv(audience)])),
      {
        sender: campaignSender,
        provider: cloud.provider,
        ledger: stores.campaignLedger,
        optOuts: stores.campaignOptOuts,
        reviews: stores.optOutReviews,
        publisher: cloud.publisher,
        clock,
        pacer: createPacer(options.mps, clock),
        budget: new Budget(),
        requestDefaults: { from: options.originationNumber },
      },
      {
        concurrency: options.concurrency,
        onOutcome: () => {
          outcomes++;
          if (outcomes === Math.ceil(audience.length / 4)) armed = armCrash();
          if (outcomes === Math.ceil(audience.length / 2)) crash = armed.then(crashMidCampaign);
          if (outcomes % 100 === 0) {
            publishDue(new Date(clock.now().getTime() - EMISSION_SAFETY_MS));
            hooks.onProgress?.("campaign", outcomes, audience.length);
          }
        },
      },
    );
    hooks.onProgress?.("campaign", audience.length, audience.length);
    await crash;
    // Everything the carrier still has to say about the confirmation (late receipts, replies), in
    // time order; the Welcome Series starts once it is said and the responses function has it all.
    const rest = carrier.takeAll();
    emissionWrites.push(cloud.ingest(rest));
    await Promise.all(emissionWrites);
    await cloud.flush();
    await cloud.settle(CONSUMERS.responses);
    const lastEmission = Math.max(clock.now().getTime(), ...rest.map((emission) => emission.at.getTime()));
    clock.set(nextMinute(lastEmission));

    // The Welcome Series, launched into the stack: enrollment function, then the ticker every tick.
    enterPhase("journey", 1);
    const revocationMonitor = revocationMonitorOf(stores, clock, config.revocationSlaMinutes);
    const journey = await runJourneyCampaign(
      {
        campaignId: WELCOME_CAMPAIGN_ID,
        journey: welcomeSeries,
        audienceCsv: audienceCsv(audience),
        intervalSeconds: options.tickSeconds,
      },
      {
        functions: cloud.campaignFunctions({
          ports: {
            clock,
            sender: journeySender,
            ledger: stores.campaignLedger,
            optOuts: stores.campaignOptOuts,
            optOutReviews: stores.optOutReviews,
            publisher: cloud.publisher,
            journeys: stores.journeys,
            subscribers: stores.subscribers,
            campaigns: stores.campaigns,
          },
          settings: { mps: options.mps, intervalSeconds: options.tickSeconds },
          chunkRows: options.enrollmentChunkRows,
          codeJourneys: journeyDefinitions,
          revocationMonitor,
        }),
        campaigns: stores.campaigns,
        journeys: stores.journeys,
        storage: cloud.storage,
        clock,
        beforeTick: async (at) => {
          const due = carrier.takeDue(at);
          if (due.length === 0) return 0;
          await cloud.ingest(due);
          // A reply must reach the responses function before the tick that acts on it, and the
          // receipts the circuit breaker judges the analytics function (responses first: it logs
          // the messages analytics attributes phone-less receipts with).
          if (breaker || due.some(isReply)) {
            await cloud.flush();
            await cloud.settle(CONSUMERS.responses);
          }
          if (breaker) await cloud.settle(CONSUMERS.analytics);
          return due.length;
        },
        onProgress: (ticks, total) => hooks.onProgress?.("journey", ticks, total),
      },
    );
    await cloud.ingest(carrier.takeAll());
    await cloud.flush();

    enterPhase("stream", cloud.streamCounts().published);
    await cloud.finishConsumers();
    const revocationSla = await finishRevocationSla(revocationMonitor);

    enterPhase("collect", 1);
    if (faults) faults.armed = false;
    const outDir = options.out;
    await rm(join(outDir, "archive"), { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    const downloaded = await downloadArchive(cloud.storage, join(outDir, "archive"));
    const deadLetters = await cloud.deadLetters();
    const responsesStored = await stores.countResponses();
    const optOutsStored = await stores.countOptOuts();
    const notificationIds = await cloud.notificationIds();
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
      cloud: cloud.cloud,
      services: cloud.services,
      stores: stores.engine,
      audience,
      campaign,
      journey,
      carrier: carrier.stats,
      campaignSteps,
      heldSends,
      archive: downloaded,
      deadLetters,
      responsesStored,
      optOutsStored,
      optOutsImported: importedOptOuts.length,
      chaos: {
        throttle: options.chaos.throttle,
        ...(faults ? { injected: { ...faults.injected } } : {}),
        ...(options.chaos.kill
          ? { killed: options.chaos.kill, crashes, recovery: { ...recovery, ...cloud.recoveryFigures?.() } }
          : {}),
      },
      notificationIds,
      eventsPublished: cloud.streamCounts().published,
      publishFailures: cloud.streamCounts().failed,
      consumers: cloud.consumerStats(),
      autoReplies: autoReplies.delivered,
      analyticsDatums: analyticsMetrics.datums,
      alarmThresholds: config.alarms,
      wallSeconds,
      phaseSeconds,
      shards: cloud.partitions,
      revocationSla,
      circuitBreaker: breakerSummaryOf({
        enabled: breaker !== undefined,
        spikeShare: options.spike,
        spikeBlocked: carrier.stats.spikeBlocked,
        record: welcomeRecord,
        waiting,
        audience,
        replyOf: (subscriberId, stepId) => {
          const key = sendKeyOf({ campaignId: WELCOME_CAMPAIGN_ID, subscriberId, stepId });
          const kind = carrier.fateOf(key, WELCOME_CAMPAIGN_ID).reply?.kind;
          return kind === "stop" ? "STOP" : kind === "yes" ? "YES" : undefined;
        },
      }),
    });
  } finally {
    await cloud.stop();
  }
}
