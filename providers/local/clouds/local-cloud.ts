/**
 * The seam between the cloud-neutral local run (run/local-run.ts) and one cloud's stack on this
 * machine: its emulators (or an in-process stand-in where this machine has none), its stores, its
 * stream with the three consumer functions reading it through their real entry points in the
 * cloud's native event formats, its ingress for the carrier's payloads, and its two campaign
 * functions. The run does the same campaign on every cloud through this interface, so the results
 * compare one to one.
 */

import type { CircuitBreakerSettings } from "../../../core/campaign/circuit-breaker";
import type { Journey } from "../../../core/campaign/journey";
import type { CampaignTickerPorts, TickerSettings } from "../../../core/campaign/ticker";
import type { StackConfig } from "../../../core/config";
import type { ArchiveStore, Clock, EventPublisher, SmsSender } from "../../../core/ports";
import type { ResponsesPorts, ResponsesSettings } from "../../../core/processing/responses";
import type { RevocationMonitor } from "../../../core/processing/revocation-sla";
import type { CarrierEmission } from "../carrier/carrier";
import type { CarrierFormat } from "../carrier/format";
import type { Killable } from "../chaos/chaos-spec";
import type { FaultInjector } from "../chaos/fault-injector";
import type { ConsumerStats } from "../poller/poller";
import type { CampaignFunctions } from "../run/campaign-functions";
import type { DeadLetterCounts } from "../run/collect";
import type { LocalRunOptions } from "../run/options";
import type { RunStores } from "../run/stores";
import type { MemoryMetricsSink } from "../runtime/memory";

export const LOCAL_CLOUDS = ["aws", "azure", "gcp"] as const;
export type LocalCloudName = (typeof LOCAL_CLOUDS)[number];

/** The three consumers every stack deploys; their names key consumer stats and dead letters. */
export const CONSUMERS = { analytics: "analytics", responses: "responses", archive: "archive" } as const;
export type ConsumerName = (typeof CONSUMERS)[keyof typeof CONSUMERS];

/** One service of the stack and what plays it on this machine. */
export interface ServiceStandIn {
  /** What the stack deploys, e.g. "Kinesis Data Streams". */
  deployed: string;
  /** What runs in its place here, e.g. "kinesis-local (npm)". */
  local: string;
  /** True when this machine has no emulator for it and an in-process stand-in plays its part. */
  simulated: boolean;
}

/** What the run hands the consumers: the ports it observes afterwards and the responses settings. */
export interface ConsumerWiring {
  /** The analytics function's metrics, read back for the report. */
  metrics: MemoryMetricsSink;
  /** Sends the HELP and STOP auto-replies (recorded, not delivered). */
  autoReplies: SmsSender;
  journeyRouting: NonNullable<ResponsesPorts["journeyRouting"]>;
  /** The run's simulated clock, for the responses function (see run/consumers.ts). */
  responsesClock: Clock;
  responsesSettings: ResponsesSettings;
  /** When set, the analytics function runs the circuit breaker over the stack's campaign store. */
  circuitBreaker?: CircuitBreakerSettings;
  /** Called after each batch a consumer finished, with its record count. */
  onBatch?(consumer: ConsumerName, records: number): void;
}

export interface CampaignFunctionsWiring {
  /** The run's ports; the cloud adds its own dead letter for bad audience rows. */
  ports: CampaignTickerPorts;
  settings: TickerSettings;
  chunkRows: number;
  codeJourneys: Journey[];
  /** The revocation SLA monitor the ticker runs after every tick, as deployed. */
  revocationMonitor?: RevocationMonitor;
}

export interface LocalCloud {
  readonly cloud: LocalCloudName;
  /** The SmsSender provider name the stack's sends carry (events' `provider`). */
  readonly provider: "aws-eum" | "azure-acs" | "twilio";
  /** The stack's shared settings, from its own stack file (Pulumi.<cloud>.yaml). */
  readonly config: StackConfig;
  readonly services: ServiceStandIn[];
  readonly stores: RunStores;
  /** The stack's storage: where the archive lands and the audience is uploaded. */
  readonly storage: ArchiveStore;
  /** How the simulated carrier speaks on this cloud. */
  readonly carrierFormat: CarrierFormat;
  /** Where the senders' own events (queued) go: the stream, as a deployed sender publishes. */
  readonly publisher: EventPublisher;
  /** Stream partitions here and in the stack (shards, partitions; 1 for an ordering-key topic). */
  readonly partitions: { local: number; stack: number };
  /** The carrier's payloads, through the cloud's own ingress into the stream (rule, webhook...). */
  ingest(emissions: CarrierEmission[]): Promise<void>;
  /** Records the stream accepted and refused so far (senders' events and ingested payloads). */
  streamCounts(): { published: number; failed: number };
  /** Resolves once everything handed to `publisher` and `ingest` is on the stream. */
  flush(): Promise<void>;
  startConsumers(wiring: ConsumerWiring): Promise<void>;
  /** Resolves once the consumer has read everything on the stream now. */
  settle(consumer: ConsumerName): Promise<void>;
  /** Waits until every consumer caught up with the whole stream, then stops them. */
  finishConsumers(): Promise<void>;
  /** Delivery figures per consumer, keyed by the function's deployed name. */
  consumerStats(): Record<string, ConsumerStats>;
  /** The stack's enrollment and ticker functions, invoked through their real entry points. */
  campaignFunctions(wiring: CampaignFunctionsWiring): CampaignFunctions;
  /** Everything in the stack's dead letter, sorted by kind and by consumer (ConsumerName). */
  deadLetters(): Promise<DeadLetterCounts>;
  /**
   * Crashes one of the stack's emulators (SIGKILL) and brings it back `downMs` later on its data
   * (`--chaos kill=`; GCP's Pub/Sub emulator comes back empty, its topics made whole by the run);
   * AWS and GCP. Resolves to what the recovery did, as figures for the report.
   */
  crash?(emulator: Killable, downMs: number): Promise<Record<string, number>>;
  /**
   * Fixes, ahead of the crash, the state the emulator restarts from (kinesis-local: its snapshot as
   * it is now), so the crash loses what is acknowledged in between, however the timing falls.
   */
  armCrash?(emulator: Killable): Promise<void>;
  /** What the run did to ride out crashes (records put again, shards realigned), for the report. */
  recoveryFigures?(): Record<string, number>;
  /** The id of every notification a subscriber of the stack's notification channel received, repeats included. */
  notificationIds(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface LocalCloudHooks {
  log?: (line: string) => void;
  /** Throttles the cloud's SDK clients (--chaos); only the AWS cloud takes it. */
  faults?: FaultInjector;
  /** Hands over the emulators' stop, so an interrupted run (Ctrl-C) can still stop them. */
  onEmulatorsStarted?: (stop: () => Promise<void>) => void;
}

export type LocalCloudFactory = (options: LocalRunOptions, hooks: LocalCloudHooks) => Promise<LocalCloud>;
