import type { MessageType } from "../events/schema";
import type { AudienceEntry } from "./audience";
import { type AudienceCounts, emptyCounts, type RowIssue } from "./counts";
import { type DispatchDeps, type DispatchOutcome, dispatchMessage } from "./dispatch";
import { noteMessageShape, tallyRow } from "./plan";
import { roundUsd } from "./pricing";

export interface CampaignDefinition {
  campaignId: string;
  /** Message text with `{{attribute}}` placeholders. */
  template: string;
  messageType: MessageType;
  /** Ledger step name; one-time campaigns have one step. */
  stepId?: string;
}

export interface CampaignReport extends AudienceCounts {
  /** Sent by this run. */
  sent: number;
  /** Settled as sent by an earlier, interrupted run. */
  alreadySent: number;
  /** Retryable failures left for a re-run, plus permanent provider failures. */
  failed: number;
  costUsd: number;
  /** Not sent because a reply of theirs waits in the opt-out review queue; a later run sends them once it is rejected. */
  heldForReview: number;
  /** Earliest instant a message held for quiet hours may go (ISO-8601), if any is held. */
  nextWindowAt?: string;
}

export interface RunOptions {
  /** Messages in flight at once; pacing still caps the rate. Default 1. */
  concurrency?: number;
  /** After a pass, sleep (on the Clock) until the next window and send the held messages. */
  waitForQuietHours?: boolean;
  onIssue?: (issue: RowIssue) => void;
  onOutcome?: (outcome: DispatchOutcome, report: CampaignReport) => void;
}

function emptyReport(): CampaignReport {
  return { ...emptyCounts(), sent: 0, alreadySent: 0, failed: 0, costUsd: 0, heldForReview: 0 };
}

function record(report: CampaignReport, outcome: DispatchOutcome): void {
  switch (outcome.kind) {
    case "sent":
      report.sent++;
      report.eligibleNow++;
      report.totalSegments += outcome.segments;
      report.costUsd += outcome.costUsd;
      break;
    case "already_sent":
      report.alreadySent++;
      report.eligibleNow++;
      report.totalSegments += outcome.segments;
      report.costUsd += outcome.costUsd;
      break;
    case "held":
      // A review has no window to wait for: a pass does not sleep on it.
      if (outcome.reason === "pending_review") {
        report.heldForReview++;
        break;
      }
      if (outcome.reason === "unknown_time_zone") report.held.unknownTimeZone++;
      else report.held.quietHours++;
      if (outcome.notBefore) {
        const at = outcome.notBefore.toISOString();
        if (!report.nextWindowAt || at < report.nextWindowAt) report.nextWindowAt = at;
      }
      break;
    case "suppressed":
      if (outcome.reason === "opted_out") report.suppressed.optedOut++;
      else if (outcome.reason === "invalid_number") report.suppressed.invalidNumber++;
      else if (outcome.reason === "budget") report.suppressed.budget++;
      else report.failed++;
      break;
    case "failed":
      report.failed++;
      report.eligibleNow++;
      break;
  }
}

async function runPass(
  definition: CampaignDefinition,
  audience: AsyncIterable<AudienceEntry>,
  deps: DispatchDeps,
  options: RunOptions,
): Promise<CampaignReport> {
  const report = emptyReport();
  const iterator = audience[Symbol.asyncIterator]();
  let stopped = false;

  const worker = async () => {
    while (!stopped) {
      const next = await iterator.next();
      if (next.done) return;
      const entry = next.value;
      if (!tallyRow(report, entry, options.onIssue)) continue;
      const outcome = await dispatchMessage(deps, {
        identity: {
          campaignId: definition.campaignId,
          subscriberId: entry.subscriber.subscriberId,
          stepId: definition.stepId ?? "send",
        },
        subscriber: entry.subscriber,
        country: entry.country,
        template: definition.template,
        messageType: definition.messageType,
      });
      if (outcome.kind === "sent" || outcome.kind === "already_sent") {
        noteMessageShape(report, outcome.encoding, outcome.segments);
      }
      record(report, outcome);
      options.onOutcome?.(outcome, report);
    }
  };

  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () =>
    worker().catch((error) => {
      stopped = true;
      throw error;
    }),
  );
  await Promise.all(workers);
  report.costUsd = roundUsd(report.costUsd);
  return report;
}

/**
 * Sends a one-time campaign: every member of the audience exactly once (the SendLedger holds one
 * key per campaign, subscriber and step, so a re-run after a crash resumes where it stopped).
 * `audience` is a factory because waiting out quiet hours re-reads it for a further pass.
 */
export async function runCampaign(
  definition: CampaignDefinition,
  audience: () => AsyncIterable<AudienceEntry>,
  deps: DispatchDeps,
  options: RunOptions = {},
): Promise<CampaignReport> {
  let report = await runPass(definition, audience(), deps, options);
  let sentByThisRun = report.sent;
  const sentBefore = report.alreadySent;
  while (options.waitForQuietHours && report.nextWindowAt) {
    const waitMs = new Date(report.nextWindowAt).getTime() - deps.clock.now().getTime();
    await deps.clock.sleep(Math.max(0, waitMs));
    report = await runPass(definition, audience(), deps, options);
    sentByThisRun += report.sent;
  }
  return { ...report, sent: sentByThisRun, alreadySent: sentBefore };
}
