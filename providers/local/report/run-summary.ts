import type { CarrierStats } from "../carrier/carrier";
import type { FaultedService } from "../chaos/fault-injector";
import type { LocalCloudName, ServiceStandIn } from "../clouds/local-cloud";
import type { ConsumerStats } from "../poller/poller";
import type { AutoReplyCost } from "./auto-reply-cost";
import type { BreakerSummary } from "./breaker-summary";
import type { HeldSendGroup } from "./held-sends";
import type { JourneySummary } from "./journey-summary";
import type { ReceivedFigures } from "./received-figures";
import type { ReplyDigest } from "./reply-digest";
import type { RevocationSlaSummary } from "./revocation-sla-summary";
import type { StepRow } from "./step-rows";
import type { AlarmState, TimelinePoint, Totals } from "./summary";

export interface Invariant {
  name: string;
  holds: boolean;
  detail: string;
}

/** summary.json: every figure of a local run. */
export interface RunSummary extends Totals {
  seed: number;
  subscribers: number;
  /** The simulated instant the campaign started at. */
  simulatedStart: string;
  /** Whose stack ran, and what played each of its services on this machine. */
  cloud: LocalCloudName;
  services: ServiceStandIn[];
  /** What served the functions' stores (DynamoDB Local, cosmosdb-server, the Firestore emulator, or memory). */
  stores: string;
  audience: {
    total: number;
    invalid: number;
    optedOutBefore: number;
    missingZone: number;
    bogusZone: number;
  };
  /** What the campaign engine did with each subscriber (sent, held for quiet hours, skipped by reason...). */
  campaign: Record<string, number>;
  /**
   * The Welcome Series as a launched campaign: subscribers per step and branch, waiting and done
   * (its counters in the campaign store), and the time from send to reply.
   */
  journey: JourneySummary;
  carrier: CarrierStats;
  /** The analytics function's output: how many datums, and its Count metrics summed over windows. */
  analytics: { datums: number; counts: Record<string, number> };
  /**
   * Receipts that came without a phone number (the documented EventBridge form), and how many of
   * them the consumers could not complete from the message log: archived without a number, and
   * counted by analytics under the campaign "unattributed".
   */
  attribution: { phonelessReceipts: number; archivedWithoutPhone: number; unattributedInAnalytics: number };
  /** One row per campaign and send step: sent, delivered, replies, opt-outs, cost, and the message text. */
  steps: StepRow[];
  /** Sends the Welcome Series still holds at the end of the run, by step and next attempt. */
  heldSends: HeldSendGroup[];
  /** Sentiment split of the distinct replies and a few free-text ones, numbers masked. */
  replyDigest: ReplyDigest;
  /** The automatic HELP and STOP answers, priced apart: costUsd (the campaigns' cost) excludes them. */
  autoReplyCost: AutoReplyCost;
  /** Inbound replies counted three ways, each saying what it deduplicates (see received-figures.ts). */
  received: ReceivedFigures;
  alarms: AlarmState[];
  eventsPublished: number;
  eventsArchived: number;
  deadLettered: number;
  responsesStored: number;
  /** What --chaos asked for (throttle: share of calls), and the faults injected per service (retries they caused). */
  chaos: {
    throttle: number;
    injected?: Record<FaultedService, number>;
    /** The emulator --chaos kill crashed mid-campaign, and how many times it was crashed and restarted. */
    killed?: string;
    crashes?: number;
    /** What riding out the crash took, e.g. records the restarted stream held and records put back. */
    recovery?: Record<string, number>;
  };
  /** Numbers the functions' opt-out store holds as opted out at the end of the run. */
  optOutsStored: number;
  /** What reached a subscriber of the notification channel: deliveries, distinct ids, distinct per pattern. */
  notifications: { delivered: number; distinct: number; byPattern: Record<string, number> };
  repliesReceived: number;
  /** The circuit breaker: whether it ran, the spike, the pause (when, why, figures) and the sends it saved. */
  circuitBreaker?: BreakerSummary;
  /** Every opt-out's revocation clock, judged as the deployed ticker's monitor judges it. */
  revocationSla: RevocationSlaSummary;
  archiveFiles: number;
  consumers: Record<string, ConsumerStats>;
  maxIteratorAgeMs: number;
  invariants: Invariant[];
  timeline: TimelinePoint[];
  wallSeconds: number;
  /** Stream shards in this run and in the stack file. */
  shards: { local: number; stack: number };
  /** Wall seconds per phase: emulators, bootstrap, campaign, stream (draining), collect. */
  phaseSeconds: Record<string, number>;
  eventsPerSecond: number;
}
