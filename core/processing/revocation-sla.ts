/**
 * The revocation SLA: every opt-out starts a clock (written where the number is opted out), and
 * once its window has passed the monitor checks that (a) the confirmation went out within the
 * window, (b) every store that sends refuses the number (the opt-out store and review hold that
 * dispatch consults before each send, so the ledger settles any later send as skipped; and the
 * subscriber's journeys ended), (c) nothing but the confirmation was sent to it after the opt-out
 * (every send in the message log between the opt-out and the run, not only the newest one), save
 * what went after a later opt-in.
 * A breach is recorded on the clock and counted in the REVOCATION_SLA_METRIC the stacks alarm on.
 */
import { sendBlockOf } from "../campaign/dispatch";
import type {
  Clock,
  ConsentEntry,
  JourneyState,
  MessageLog,
  MetricDatum,
  MetricsSink,
  OptOutReviewStore,
  OptOutStore,
  RevocationCheck,
  RevocationClock,
  RevocationClockStart,
  RevocationClockStore,
  RevocationFailure,
  RevocationVerdict,
  SentMessage,
  SubscriberDirectory,
} from "../ports";

/** The window the monitor gives an opt-out before judging it (config `revocationSlaMinutes`). */
export const DEFAULT_REVOCATION_SLA_MINUTES = 5;

/** Breaches found by one monitor run; every cloud's stack alarms on any non-zero sum of it. */
export const REVOCATION_SLA_METRIC = "RevocationSlaBreaches" as const;

/** The datum's dimensions: none, so it is the stack-wide series each cloud's alarm reads. */
export const REVOCATION_SLA_DIMENSIONS: Readonly<Record<string, string>> = {};

/** Clocks one run judges at most: a run stays well inside the ticker's minute. */
export const REVOCATION_CHECKS_PER_RUN = 100;

/**
 * Sends after an opt-out the monitor reads per clock. They come oldest first, so the sends before
 * a later opt-in come before the consented ones: a list cut short either holds all of those, or
 * holds only those, each a breach but the confirmation (and any at the opt-out's own instant).
 */
export const REVOCATION_SENDS_READ = 10;

export const REVOCATION_CHECKS: readonly RevocationCheck[] = [
  "confirmation_sent",
  "suppressed",
  "journeys_ended",
  "no_send_after",
];

/** What the monitor found about one opt-out, gathered from the stores that send. */
export interface RevocationEvidence {
  /** What dispatch would do with a marketing send to the number now. */
  sendBlock: "opted_out" | "pending_review" | undefined;
  /** The subscriber's journeys still active or waiting (empty when no subscriber has the number). */
  openJourneys: Pick<JourneyState, "journeyId" | "stepId" | "status">[];
  /** The messages sent to the number from its opt-out until the run, oldest first (bounded). */
  sentAfter: Pick<SentMessage, "messageId" | "sentAt">[];
  /** When the number opted back in after this opt-out (consent evidence), if it did. */
  optedInAt?: string;
}

export type RevocationJudgement = RevocationVerdict | { status: "pending"; dueAt: string };

export const revocationDueAt = (optedOutAt: string, windowMinutes: number): string =>
  new Date(Date.parse(optedOutAt) + windowMinutes * 60_000).toISOString();

const after = (a: string, b: string) => Date.parse(a) > Date.parse(b);

function confirmationFailure(clock: RevocationClock, dueAt: string): RevocationFailure | undefined {
  if (!clock.confirmationExpected) return undefined;
  if (clock.confirmedAt === undefined)
    return { check: "confirmation_sent", reason: "no confirmation was sent" };
  if (after(clock.confirmedAt, dueAt))
    return { check: "confirmation_sent", reason: `confirmation sent late, at ${clock.confirmedAt}` };
  return undefined;
}

function suppressionFailures(evidence: RevocationEvidence): RevocationFailure[] {
  // A number that opted back in is no longer meant to be suppressed.
  if (evidence.optedInAt !== undefined) return [];
  const failures: RevocationFailure[] = [];
  if (evidence.sendBlock !== "opted_out") {
    failures.push({
      check: "suppressed",
      reason:
        evidence.sendBlock === "pending_review"
          ? "the opt-out store does not list the number (only a review holds it)"
          : "the opt-out store does not list the number: dispatch would send to it",
    });
  }
  if (evidence.openJourneys.length > 0) {
    const open = evidence.openJourneys.map((j) => `${j.journeyId}@${j.stepId} (${j.status})`).join(", ");
    failures.push({ check: "journeys_ended", reason: `journeys still open: ${open}` });
  }
  return failures;
}

/** A send after the opt-out that breaches: not the confirmation, and not after a later opt-in. */
function isUnconsentedSend(
  clock: RevocationClock,
  optedInAt: string | undefined,
  sent: Pick<SentMessage, "messageId" | "sentAt">,
): boolean {
  if (!after(sent.sentAt, clock.optedOutAt)) return false;
  if (sent.messageId === clock.confirmationMessageId) return false;
  // Sends after the number opted back in are consented to again.
  return optedInAt === undefined || !after(sent.sentAt, optedInAt);
}

function sendAfterFailure(
  clock: RevocationClock,
  evidence: RevocationEvidence,
): RevocationFailure | undefined {
  const breaching = evidence.sentAfter.filter((sent) => isUnconsentedSend(clock, evidence.optedInAt, sent));
  const [first] = breaching;
  if (!first) return undefined;
  const others = breaching.length > 1 ? ` (and ${breaching.length - 1} more)` : "";
  return {
    check: "no_send_after",
    reason: `message ${first.messageId} was sent at ${first.sentAt}, after the opt-out${others}`,
  };
}

/**
 * The verdict on one clock at `now`: pending until its window has passed, then met, or breached
 * with every check that failed. Pure, so the rules are tested on their own.
 */
export function judgeRevocation(
  clock: RevocationClock,
  evidence: RevocationEvidence,
  now: Date,
  windowMinutes: number,
): RevocationJudgement {
  const dueAt = revocationDueAt(clock.optedOutAt, windowMinutes);
  if (now.getTime() < Date.parse(dueAt)) return { status: "pending", dueAt };
  const failures = [
    confirmationFailure(clock, dueAt),
    ...suppressionFailures(evidence),
    sendAfterFailure(clock, evidence),
  ].filter((failure): failure is RevocationFailure => failure !== undefined);
  return { status: failures.length > 0 ? "breached" : "met", checkedAt: now.toISOString(), failures };
}

export interface RevocationMonitorPorts {
  clock: Clock;
  revocations: RevocationClockStore;
  optOuts: Pick<OptOutStore, "isOptedOut">;
  optOutReviews?: Pick<OptOutReviewStore, "isHeld">;
  journeys: { bySubscriber(subscriberId: string): Promise<JourneyState[]> };
  subscribers: Pick<SubscriberDirectory, "findByPhone">;
  messages: Pick<MessageLog, "sentBetween">;
  metrics: MetricsSink;
  consentLog?: { entriesFor(phoneNumber: string): Promise<ConsentEntry[]> };
}

export interface RevocationMonitorSettings {
  windowMinutes: number;
  /** Clocks judged per run (default REVOCATION_CHECKS_PER_RUN); the rest wait for the next run. */
  limit?: number;
}

/** The first opt-in of the number after the opt-out, from its consent evidence. */
async function optedInAfter(
  clock: RevocationClock,
  consentLog: RevocationMonitorPorts["consentLog"],
): Promise<string | undefined> {
  if (!consentLog) return undefined;
  const entries = await consentLog.entriesFor(clock.phoneNumber);
  return entries.find((entry) => entry.action === "opt_in" && after(entry.at, clock.optedOutAt))?.at;
}

/**
 * Asks every store that sends what it would do with the number now, and reads what was sent to it
 * from the opt-out until `now` (the opt-out's own instant included: judging excludes it).
 */
export async function gatherRevocationEvidence(
  clock: RevocationClock,
  ports: RevocationMonitorPorts,
  now: Date,
): Promise<RevocationEvidence> {
  const subscriberId =
    clock.subscriberId ?? (await ports.subscribers.findByPhone(clock.phoneNumber))?.subscriberId;
  const journeys = subscriberId ? await ports.journeys.bySubscriber(subscriberId) : [];
  const sentAfter = await ports.messages.sentBetween(clock.phoneNumber, {
    from: clock.optedOutAt,
    until: now.toISOString(),
    limit: REVOCATION_SENDS_READ,
  });
  const optedInAt = await optedInAfter(clock, ports.consentLog);
  return {
    sendBlock: await sendBlockOf({ optOuts: ports.optOuts, reviews: ports.optOutReviews }, clock.phoneNumber),
    openJourneys: journeys
      .filter((journey) => journey.status !== "done")
      .map(({ journeyId, stepId, status }) => ({ journeyId, stepId, status })),
    sentAfter: sentAfter.map(({ messageId, sentAt }) => ({ messageId, sentAt })),
    ...(optedInAt ? { optedInAt } : {}),
  };
}

export interface RevocationMonitorReport {
  judged: number;
  met: number;
  breached: number;
  /** The breached clocks' event ids and failed checks (no phone numbers), for the log line. */
  breaches: { eventId: string; failed: RevocationCheck[] }[];
}

/** The breach datum: its name and dimensions are exactly what every stack's alarm watches. */
export const revocationBreachDatum = (breaches: number, at: Date): MetricDatum => {
  const minute = new Date(at);
  minute.setUTCSeconds(0, 0);
  return {
    name: REVOCATION_SLA_METRIC,
    value: breaches,
    unit: "Count",
    dimensions: { ...REVOCATION_SLA_DIMENSIONS },
    timestamp: minute.toISOString(),
  };
};

/**
 * One monitor run (the ticker's schedule hosts it): judges every clock whose window has passed,
 * records each verdict, and emits the breach count whenever it judged any (zero included, so the
 * series shows the monitor is alive). The metric goes out before the verdicts are stored: a crash
 * in between judges those clocks again next run, so a breach is alarmed at least once, never lost.
 */
export async function monitorRevocations(
  ports: RevocationMonitorPorts,
  settings: RevocationMonitorSettings,
): Promise<RevocationMonitorReport> {
  const now = ports.clock.now();
  const cutoff = new Date(now.getTime() - settings.windowMinutes * 60_000).toISOString();
  const due = await ports.revocations.due(cutoff, settings.limit ?? REVOCATION_CHECKS_PER_RUN);
  const verdicts: { clock: RevocationClock; verdict: RevocationVerdict }[] = [];
  for (const clock of due) {
    const judgement = judgeRevocation(
      clock,
      await gatherRevocationEvidence(clock, ports, now),
      now,
      settings.windowMinutes,
    );
    if (judgement.status !== "pending") verdicts.push({ clock, verdict: judgement });
  }
  const breaches = verdicts.filter(({ verdict }) => verdict.status === "breached");
  if (verdicts.length > 0) await ports.metrics.emit([revocationBreachDatum(breaches.length, now)]);
  for (const { clock, verdict } of verdicts) await ports.revocations.settle(clock.eventId, verdict);
  return {
    judged: verdicts.length,
    met: verdicts.length - breaches.length,
    breached: breaches.length,
    breaches: breaches.map(({ clock, verdict }) => ({
      eventId: clock.eventId,
      failed: verdict.failures.map((failure) => failure.check),
    })),
  };
}

/** Starts an opt-out's clock where one is wired; idempotent on the event id. */
export async function startRevocationClock(
  revocations: RevocationClockStore | undefined,
  clock: RevocationClockStart,
): Promise<void> {
  await revocations?.start(clock);
}

/** The clocks' order: oldest opt-out first, event id breaking ties. */
export const byOptedOutAt = (a: RevocationClock, b: RevocationClock): number =>
  a.optedOutAt.localeCompare(b.optedOutAt) || a.eventId.localeCompare(b.eventId);

/** The monitor as a scheduled function hosts it: its ports and its window. */
export interface RevocationMonitor {
  ports: RevocationMonitorPorts;
  settings: RevocationMonitorSettings;
}

/**
 * Runs a scheduled job (the journey tick) and then the revocation monitor, the monitor even when
 * the job failed (a broken tick must not silence the SLA), and rethrows the job's failure after.
 * Without a monitor it is just the job.
 */
export async function withRevocationMonitor<T extends object>(
  job: () => Promise<T>,
  monitor: RevocationMonitor | undefined,
): Promise<T & { revocations?: RevocationMonitorReport }> {
  const ran = await settle(job);
  const judged = monitor && (await settle(() => monitorRevocations(monitor.ports, monitor.settings)));
  if (ran.status === "rejected") throw ran.reason;
  if (judged?.status === "rejected") throw judged.reason;
  return judged ? { ...ran.value, revocations: judged.value } : { ...ran.value };
}

const settle = async <T>(run: () => Promise<T>): Promise<PromiseSettledResult<T>> => {
  try {
    return { status: "fulfilled", value: await run() };
  } catch (reason) {
    return { status: "rejected", reason };
  }
};
