/** Turns what a run observed into its summary: totals, alarms, the journey section and the invariants. */

import { normalizePhoneNumber } from "../../../core/campaign/phone";
import type { CampaignReport } from "../../../core/campaign/run";
import { isValidTimeZone } from "../../../core/campaign/time-zone";
import type { MetricDatum, SendRequest } from "../../../core/ports";
import { METRIC } from "../../../core/processing/analytics";
import type { AudienceMember } from "../bootstrap/audience";
import type { CarrierStats } from "../carrier/carrier";
import { CONSUMERS, type LocalCloudName, type ServiceStandIn } from "../clouds/local-cloud";
import type { ConsumerStats } from "../poller/poller";
import { autoReplyCostOf } from "../report/auto-reply-cost";
import type { BreakerSummary } from "../report/breaker-summary";
import type { HeldSendGroup } from "../report/held-sends";
import { sendsAfterOptOut, sendToReplyOf } from "../report/journey-summary";
import { receivedFiguresOf } from "../report/received-figures";
import { replyDigestOf } from "../report/reply-digest";
import type { RevocationSlaSummary } from "../report/revocation-sla-summary";
import type { Invariant, RunSummary } from "../report/run-summary";
import { type CampaignSteps, stepRowsOf } from "../report/step-rows";
import { type AlarmThresholds, evaluateAlarms, timelineOf, totalsOf } from "../report/summary";
import type { DeadLetterCounts, DownloadedArchive } from "./collect";
import type { JourneyRunReport } from "./journey-run";
import type { LocalRunOptions } from "./options";

export interface RunObservations {
  options: LocalRunOptions;
  cloud: LocalCloudName;
  services: ServiceStandIn[];
  /** What served the functions' stores. */
  stores: string;
  audience: AudienceMember[];
  campaign: CampaignReport;
  /** The Welcome Series, launched as a campaign and ticked on the simulated clock. */
  journey: JourneyRunReport;
  carrier: CarrierStats;
  /** The journeys' held sends when the run ended. */
  heldSends: HeldSendGroup[];
  /** Every campaign of the run with its send steps, for the per-step rows. */
  campaignSteps: CampaignSteps[];
  archive: DownloadedArchive;
  deadLetters: DeadLetterCounts;
  responsesStored: number;
  /** Numbers the functions' opt-out store holds as opted out at the end. */
  optOutsStored: number;
  /** Opt-outs imported with the audience before the run (pre-opted-out members with a valid number). */
  optOutsImported: number;
  /** What --chaos asked for, and the faults injected per service. */
  chaos: RunSummary["chaos"];
  /** Every notification a subscriber of the stack's notification channel received, by id. */
  notificationIds: readonly string[];
  eventsPublished: number;
  publishFailures: number;
  consumers: Record<string, ConsumerStats>;
  /** The responses function's answers (HELP text, STOP confirmations) that reached a phone. */
  autoReplies: readonly SendRequest[];
  /** What the analytics function emitted (CloudWatch EMF on AWS). */
  analyticsDatums: MetricDatum[];
  alarmThresholds: AlarmThresholds;
  wallSeconds: number;
  phaseSeconds: Record<string, number>;
  shards: { local: number; stack: number };
  /** The circuit breaker: the spike, the pause and the sends it saved. */
  circuitBreaker?: BreakerSummary;
  /** Every opt-out's revocation clock and its verdict. */
  revocationSla: RevocationSlaSummary;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

const analyticsCountOf = (datums: readonly MetricDatum[], name: string) =>
  datums
    .filter((datum) => datum.name === name && datum.unit === "Count")
    .reduce((sum, datum) => sum + datum.value, 0);

/**
 * Notifications as a subscriber counts them: every delivery, the distinct ids (a replayed batch
 * may deliver one twice where the channel has no deduplication), and the distinct ones per
 * pattern (an id is "<eventId>:<pattern>").
 */
export function notificationsOf(ids: readonly string[]): RunSummary["notifications"] {
  const distinct = [...new Set(ids)];
  const byPattern: Record<string, number> = {};
  for (const id of distinct) {
    const pattern = id.slice(id.lastIndexOf(":") + 1);
    byPattern[pattern] = (byPattern[pattern] ?? 0) + 1;
  }
  return { delivered: ids.length, distinct: distinct.length, byPattern };
}

export function buildRunSummary(observed: RunObservations): RunSummary {
  const totals = totalsOf(observed.archive.events);
  // Each function dead-letters an undecodable record itself (source "archive:<shard>/<seq>"); the
  // archive's count, plus any batch the poller gave up on, accounts for records missing from the archive.
  const deadLettered =
    (observed.deadLetters.undecodable[CONSUMERS.archive] ?? 0) +
    (observed.deadLetters.abandoned[CONSUMERS.archive] ?? 0);
  const eventsArchived = observed.archive.events.length;
  const repliesReceived = observed.carrier.replies;
  const maxIteratorAgeMs = Math.max(
    0,
    ...Object.values(observed.consumers).map((stats) => stats.maxIteratorAgeMs),
  );
  const afterOptOut = sendsAfterOptOut(observed.archive.events);
  const { journey } = observed;
  const invariants: Invariant[] = [
    {
      name: "eventsPublished = eventsArchived + deadLettered",
      holds: observed.eventsPublished === eventsArchived + deadLettered,
      detail: `${observed.eventsPublished} = ${eventsArchived} + ${deadLettered}`,
    },
    {
      name: "responsesStored = repliesReceived",
      holds: observed.responsesStored === repliesReceived,
      detail: `${observed.responsesStored} = ${repliesReceived} (after deduplication of ${observed.carrier.duplicateDeliveries} redelivered)`,
    },
    {
      name: "sendsAfterOptOut = 0",
      holds: afterOptOut === 0,
      detail: `${afterOptOut} messages queued to a number after its STOP`,
    },
  ];
  const received = receivedFiguresOf(
    observed.archive.events,
    analyticsCountOf(observed.analyticsDatums, METRIC.received),
  );
  invariants.push({
    name: "archived received rows = repliesReceived + redelivered",
    holds: received.archivedRows === repliesReceived + observed.carrier.duplicateDeliveries,
    detail: `${received.archivedRows} = ${repliesReceived} + ${observed.carrier.duplicateDeliveries}`,
  });
  const sla = observed.revocationSla;
  // Opt-outs imported with the audience were revoked before the run: no clock of ours is due.
  const optedOutInRun = observed.optOutsStored - observed.optOutsImported;
  invariants.push({
    name: "every opt-out met its revocation SLA",
    holds: sla.breached === 0 && sla.pending === 0 && sla.clocks === optedOutInRun,
    detail: `${sla.clocks} clocks for ${optedOutInRun} opt-outs in the run: ${sla.met} met, ${sla.breached} breached, ${sla.pending} pending (window ${sla.windowMinutes} min)`,
  });
  const { campaign } = observed;
  // Counts add up across windows and batches; per-window rates do not, so only counts are summed.
  const analyticsCounts: Record<string, number> = {};
  for (const datum of observed.analyticsDatums) {
    if (datum.unit === "Count")
      analyticsCounts[datum.name] = (analyticsCounts[datum.name] ?? 0) + datum.value;
  }
  return {
    seed: observed.options.seed,
    subscribers: observed.options.subscribers,
    simulatedStart: observed.options.at,
    cloud: observed.cloud,
    services: observed.services,
    stores: observed.stores,
    audience: {
      total: observed.audience.length,
      invalid: observed.audience.filter((member) => !normalizePhoneNumber(member.phoneNumber)).length,
      optedOutBefore: observed.audience.filter((member) => member.optedOut).length,
      missingZone: observed.audience.filter((member) => member.timeZone === undefined).length,
      bogusZone: observed.audience.filter((member) => member.timeZone && !isValidTimeZone(member.timeZone))
        .length,
    },
    campaign: {
      accepted: campaign.sent,
      held: campaign.held.quietHours + campaign.held.unknownTimeZone,
      heldQuietHours: campaign.held.quietHours,
      heldUnknownTimeZone: campaign.held.unknownTimeZone,
      suppressedOptedOut: campaign.suppressed.optedOut,
      suppressedInvalidNumber: campaign.suppressed.invalidNumber,
      suppressedDuplicate: campaign.suppressed.duplicate,
      failed: campaign.failed,
      badRows: campaign.badRows,
      estimatedCostUsd: campaign.costUsd,
      autoReplies: observed.autoReplies.length,
      publishFailures: observed.publishFailures,
    },
    carrier: observed.carrier,
    analytics: { datums: observed.analyticsDatums.length, counts: analyticsCounts },
    attribution: {
      phonelessReceipts: observed.carrier.phonelessReceipts,
      archivedWithoutPhone: observed.archive.events.filter((event) => event.phoneNumber === undefined).length,
      unattributedInAnalytics: analyticsCounts[METRIC.unattributed] ?? 0,
    },
    journey: {
      ...journey.view,
      launchedAt: journey.launchedAt,
      finishedAt: journey.finishedAt,
      intervalSeconds: journey.intervalSeconds,
      ticks: journey.ticks,
      busyTicks: journey.busyTicks,
      enrollmentChunks: journey.enrollmentChunks,
      sendToReply: sendToReplyOf(observed.archive.events, journey.campaignId),
    },
    steps: stepRowsOf(observed.archive.events, observed.campaignSteps),
    heldSends: observed.heldSends,
    replyDigest: replyDigestOf(observed.archive.events),
    autoReplyCost: autoReplyCostOf(observed.autoReplies),
    received,
    ...totals,
    alarms: evaluateAlarms(totals, maxIteratorAgeMs, observed.alarmThresholds),
    eventsPublished: observed.eventsPublished,
    eventsArchived,
    deadLettered,
    responsesStored: observed.responsesStored,
    optOutsStored: observed.optOutsStored,
    chaos: observed.chaos,
    notifications: notificationsOf(observed.notificationIds),
    repliesReceived,
    archiveFiles: observed.archive.files,
    consumers: observed.consumers,
    maxIteratorAgeMs,
    invariants,
    timeline: timelineOf(observed.archive.events),
    wallSeconds: round(observed.wallSeconds, 2),
    phaseSeconds: observed.phaseSeconds,
    shards: observed.shards,
    ...(observed.circuitBreaker ? { circuitBreaker: observed.circuitBreaker } : {}),
    revocationSla: observed.revocationSla,
    eventsPerSecond: round(observed.eventsPublished / Math.max(observed.wallSeconds, 1e-3), 1),
  };
}
