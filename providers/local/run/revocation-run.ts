/**
 * The revocation SLA in the local run, as in a deployed stack: the responses function starts a
 * clock at every opt-out, and the ticker's monitor judges the clocks whose window has passed after
 * each tick. Once every event is processed, one last pass judges the rest at the end of their
 * window, as the deployed ticker would a few minutes later, so the run reports a verdict for every
 * opt-out (and an invariant that none was breached).
 */

import type { CampaignTickerPorts } from "../../../core/campaign/ticker";
import type { RevocationClock } from "../../../core/ports";
import {
  monitorRevocations,
  type RevocationMonitor,
  type RevocationMonitorReport,
  revocationDueAt,
} from "../../../core/processing/revocation-sla";
import type { RevocationSlaSummary } from "../report/revocation-sla-summary";
import { MemoryMetricsSink } from "../runtime/memory";
import type { RunStores } from "./stores";

export function revocationMonitorOf(
  stores: RunStores,
  clock: CampaignTickerPorts["clock"],
  windowMinutes: number,
): RevocationMonitor {
  return {
    ports: {
      clock,
      revocations: stores.revocations,
      optOuts: stores.optOuts,
      optOutReviews: stores.optOutReviews,
      journeys: stores.journeys,
      subscribers: stores.subscribers,
      messages: stores.messages,
      metrics: new MemoryMetricsSink(),
      ...(stores.consentLog ? { consentLog: stores.consentLog } : {}),
    },
    settings: { windowMinutes },
  };
}

/** The newest window end of the clocks still running: judging then judges them all. */
const lastDueAt = (clocks: readonly RevocationClock[], windowMinutes: number) =>
  Math.max(
    0,
    ...clocks.filter((c) => !c.verdict).map((c) => Date.parse(revocationDueAt(c.optedOutAt, windowMinutes))),
  );

/**
 * The summary from one listing: the clocks as they stood before the last pass, those it judged
 * taking its verdicts (the list is oldest first, so the breaches keep the store's order).
 */
export function revocationSlaSummaryOf(
  clocks: readonly RevocationClock[],
  lastPass: RevocationMonitorReport,
  windowMinutes: number,
): RevocationSlaSummary {
  const judgedBreaches = new Map(lastPass.breaches.map((breach) => [breach.eventId, breach.failed]));
  let { met, breached } = lastPass;
  let running = 0;
  const breaches: RevocationSlaSummary["breaches"] = [];
  for (const clock of clocks) {
    if (clock.verdict?.status === "met") met++;
    else if (clock.verdict) {
      breached++;
      breaches.push({
        eventId: clock.eventId,
        failed: clock.verdict.failures.map((failure) => failure.check),
      });
    } else {
      running++;
      const failed = judgedBreaches.get(clock.eventId);
      if (failed) breaches.push({ eventId: clock.eventId, failed });
    }
  }
  return {
    windowMinutes,
    clocks: clocks.length,
    met,
    breached,
    pending: running - lastPass.judged,
    breaches,
  };
}

export async function finishRevocationSla(monitor: RevocationMonitor): Promise<RevocationSlaSummary> {
  const { windowMinutes } = monitor.settings;
  const clocks = await monitor.ports.revocations.list();
  const judgeAt = new Date(Math.max(monitor.ports.clock.now().getTime(), lastDueAt(clocks, windowMinutes)));
  const atWindowEnd = { now: () => judgeAt, sleep: (ms: number) => monitor.ports.clock.sleep(ms) };
  const lastPass = await monitorRevocations(
    { ...monitor.ports, clock: atWindowEnd },
    { ...monitor.settings, limit: clocks.length + 1 },
  );
  return revocationSlaSummaryOf(clocks, lastPass, windowMinutes);
}
