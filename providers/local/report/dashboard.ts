/** The end-of-run dashboard printed to the terminal. */
import type { RunSummary } from "./run-summary";

const count = (value: number) => value.toLocaleString("en-US");
const pad = (label: string) => `${label}:`.padEnd(26);

const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;
const listOf = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([name, value]) => `${name} ${count(value)}`)
    .join(", ") || "none";

/** The Welcome Series lines: where its subscribers went, per step and branch. */
export function journeyLines(journey: RunSummary["journey"]): string[] {
  return [
    `Welcome Series (campaign ${journey.campaignId}, ${journey.status}):`,
    `  ${pad("enrolled")}${count(journey.enrolled)}   (dead-lettered rows: ${count(journey.deadLettered)})`,
    `  ${pad("sent per step")}${listOf(journey.sentByStep)}`,
    `  ${pad("replies per branch")}${listOf(journey.replies)}; STOP ${count(journey.done.stopped)}`,
    `  ${pad("held / skipped")}${listOf(journey.held)} / ${listOf(journey.suppressed)}`,
    `  ${pad("waiting / done")}${count(journey.waiting)} / ${count(journey.done.completed)} completed, ${count(journey.done.stopped)} stopped`,
    `  ${pad("send to reply")}median ${minutes(journey.sendToReply.medianSeconds)}, p90 ${minutes(journey.sendToReply.p90Seconds)} (${count(journey.sendToReply.replies)} replies)`,
    `  ${pad("ticker")}${count(journey.ticks)} ticks of ${journey.intervalSeconds} s (${count(journey.busyTicks)} found journeys due), ${journey.launchedAt} to ${journey.finishedAt}`,
  ];
}

/** The circuit breaker's lines: the spike, and the pause with its figures and the sends it saved. */
export function breakerLines(breaker: RunSummary["circuitBreaker"]): string[] {
  if (!breaker?.enabled && !breaker?.spikeShare) return [];
  const spike = breaker.spikeShare
    ? `spike: the carrier blocked ${count(breaker.spikeBlocked)} Welcome Series messages (share ${breaker.spikeShare})`
    : "no spike";
  if (!breaker.enabled) return [`circuit breaker: off; ${spike}`, ""];
  if (!breaker.pause) return [`circuit breaker: on, did not trip; ${spike}`, ""];
  const { pause } = breaker;
  return [
    `circuit breaker: PAUSED campaign ${pause.campaignId} at ${pause.at} (${pause.reason}); ${spike}`,
    `  ${pad("window")}${pause.window.from}Z to ${pause.window.to}Z (${pause.window.minutes} min, min sample ${pause.window.minSample})`,
    ...pause.figures.map(
      (figure) =>
        `  ${pad(figure.rule)}${figure.ratePercent}% (${count(figure.count)} of ${count(figure.of)}), threshold ${figure.thresholdPercent}%${figure.crossed ? "  CROSSED" : ""}`,
    ),
    `  ${pad("sends saved")}${count(breaker.sendsSaved)} (what its waiting journeys still owed, along the seeded replies; notified: ${pause.notified ? "yes" : "no"})`,
    "",
  ];
}

export function renderDashboard(summary: RunSummary): string {
  const lines = [
    "",
    `SMS campaign, local run of the ${summary.cloud.toUpperCase()} stack: ${count(summary.subscribers)} subscribers, seed ${summary.seed}`,
    ...summary.services.map(
      (service) =>
        `  ${service.deployed}: ${service.local}${service.simulated ? " (simulated in-process)" : ""}`,
    ),
    "",
    `${pad("sent")}${count(summary.sent)}   (held: ${count(summary.campaign.heldQuietHours ?? 0)} quiet hours, ${count(summary.campaign.heldUnknownTimeZone ?? 0)} unknown time zone; skipped: ${count(summary.campaign.suppressedOptedOut ?? 0)} opted out, ${count(summary.campaign.suppressedInvalidNumber ?? 0)} invalid numbers)`,
    `${pad("delivered")}${count(summary.delivered)}`,
    `${pad("failed")}${count(summary.failed)}`,
    `${pad("replies")}${count(summary.replies)}`,
    `${pad("opt-outs")}${count(summary.optOuts)}`,
    `${pad("delivery rate")}${summary.deliveryRate.toFixed(2)} %`,
    `${pad("response rate")}${summary.responseRate.toFixed(2)} %`,
    `${pad("opt-out rate")}${summary.optOutRate.toFixed(2)} %`,
    `${pad("cost per message")}$${summary.costPerMessageUsd.toFixed(5)}   (campaigns $${summary.costUsd.toFixed(2)}; HELP/STOP answers $${summary.autoReplyCost.costUsd.toFixed(2)} apart)`,
    "",
    ...journeyLines(summary.journey),
    "",
    ...breakerLines(summary.circuitBreaker),
    "alarms:",
    ...summary.alarms.map(
      (alarm) =>
        `  ${alarm.fired ? "FIRED" : "ok   "} ${alarm.name.padEnd(20)} ${alarm.metric} ${alarm.comparison} ${alarm.threshold} ${alarm.unit} (value ${alarm.value} ${alarm.unit})`,
    ),
    "",
    "invariants:",
    ...summary.invariants.map(
      (invariant) => `  ${invariant.holds ? "ok  " : "FAIL"} ${invariant.name}: ${invariant.detail}`,
    ),
    "",
    `${pad("analytics function")}${count(summary.analytics.datums)} metric datums (${Object.entries(
      summary.analytics.counts,
    )
      .map(([name, value]) => `${name} ${count(value)}`)
      .join(", ")})`,
    `${pad("replies received")}${count(summary.received.deduplicated)} deduplicated (Replies, responses table); ${count(summary.received.analyticsCounted)} counted by analytics (per batch); ${count(summary.received.archivedRows)} archived rows (every delivery)`,
    `${pad("dead-lettered")}${count(summary.deadLettered)}   (archived: ${count(summary.eventsArchived)}; replies stored: ${count(summary.responsesStored)})`,
    `${pad("notifications")}${count(summary.notifications.distinct)} distinct (${Object.entries(
      summary.notifications.byPattern,
    )
      .map(([pattern, value]) => `${pattern} ${count(value)}`)
      .join(
        ", ",
      )}); ${count(summary.notifications.delivered)} delivered; opt-outs stored: ${count(summary.optOutsStored)}`,
    ...(summary.chaos.injected
      ? [
          `${pad("chaos")}throttle ${summary.chaos.throttle}: ${Object.entries(summary.chaos.injected)
            .map(([service, value]) => `${service} ${count(value)}`)
            .join(", ")} throttled calls, each retried`,
        ]
      : []),
    ...(summary.chaos.killed
      ? [
          `${pad("chaos")}${summary.chaos.killed} killed (SIGKILL) and restarted ${count(summary.chaos.crashes ?? 0)} time(s)${Object.entries(
            summary.chaos.recovery ?? {},
          )
            .map(([figure, value]) => `; ${figure} ${count(value)}`)
            .join("")}; duplicate sends ${count(summary.carrier.duplicateSends)}`,
        ]
      : []),
    `${pad("stream")}${summary.shards.local} shards (stack: ${summary.shards.stack}); max iterator age ${(summary.maxIteratorAgeMs / 1000).toFixed(1)} s`,
    `${pad("events published")}${count(summary.eventsPublished)} in ${summary.wallSeconds.toFixed(1)} s (${count(Math.round(summary.eventsPerSecond))} events/s)`,
    "",
  ];
  return lines.join("\n");
}
