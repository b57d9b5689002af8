/**
 * A launched campaign on the simulated clock, as a stack runs it: the audience is uploaded to the
 * stack's storage under the campaign prefix, the enrollment function reads it chunk by chunk, and
 * the ticker runs at its interval. Nothing sleeps: each tick moves the clock to the tick's instant,
 * so a day of journey time passes in seconds.
 */
import { newCampaignRecord } from "../../../core/campaign/campaign";
import { type CampaignStatusView, campaignStatusView } from "../../../core/campaign/campaign-counters";
import type { Journey } from "../../../core/campaign/journey";
import type { ArchiveStore, CampaignStore, JourneyStore } from "../../../core/ports";
import type { FakeClock } from "../runtime/memory";
import type { CampaignFunctions } from "./campaign-functions";

export const DAY_MS = 86_400_000;

/**
 * Long enough for a welcome held overnight by quiet hours, its one-day branch, and a follow-up
 * held overnight again; journeys still waiting then are those held for an unknown time zone.
 */
export const JOURNEY_HORIZON_MS = 2 * DAY_MS;

export interface JourneyRunOptions {
  campaignId: string;
  journey: Journey;
  audienceCsv: string;
  intervalSeconds: number;
  horizonMs?: number;
}

export interface JourneyRunDeps {
  functions: CampaignFunctions;
  campaigns: CampaignStore;
  /** Read only to skip ticks with nothing due, which would change nothing. */
  journeys: Pick<JourneyStore, "due">;
  storage: Pick<ArchiveStore, "put">;
  clock: FakeClock;
  /** Runs at each tick's instant before the tick: the stream gets what happened until then; returns how many records. */
  beforeTick(at: Date): Promise<number>;
  onProgress?(ticks: number, total: number): void;
}

export interface JourneyRunReport {
  campaignId: string;
  launchedAt: string;
  finishedAt: string;
  enrollmentChunks: number;
  /** Ticks scheduled between launch and the end, and those that found journeys due (the rest did nothing). */
  ticks: number;
  busyTicks: number;
  intervalSeconds: number;
  view: CampaignStatusView;
}

const encoder = new TextEncoder();

/** Moves a fake clock forward to `at` (a tick that sent its whole allowance may already be there). */
const advanceTo = (clock: FakeClock, at: number) => clock.advance(Math.max(0, at - clock.now().getTime()));

async function statusOf(campaigns: CampaignStore, campaignId: string): Promise<CampaignStatusView> {
  const record = await campaigns.get(campaignId);
  if (!record) throw new Error(`campaign ${campaignId} vanished from its store`);
  return campaignStatusView(record, await campaigns.counts(campaignId));
}

async function enrollAll(functions: CampaignFunctions, audienceKey: string) {
  let chunks = 0;
  let fromLine: number | undefined;
  do {
    fromLine = (await functions.enroll(audienceKey, fromLine)).nextLine;
    chunks++;
  } while (fromLine !== undefined);
  return chunks;
}

/** Launches the campaign now, enrolls its audience, and ticks until every journey ended or the horizon. */
export async function runJourneyCampaign(
  options: JourneyRunOptions,
  deps: JourneyRunDeps,
): Promise<JourneyRunReport> {
  const launchedAt = deps.clock.now();
  const record = newCampaignRecord(options.campaignId, options.journey, launchedAt);
  if (!(await deps.campaigns.put(record, 0))) throw new Error(`campaign ${record.campaignId} exists already`);
  await deps.storage.put(record.audienceKey, encoder.encode(options.audienceCsv), "text/csv");
  const enrollmentChunks = await enrollAll(deps.functions, record.audienceKey);

  const intervalMs = options.intervalSeconds * 1000;
  const total = Math.floor((options.horizonMs ?? JOURNEY_HORIZON_MS) / intervalMs);
  let ticks = 0;
  let busyTicks = 0;
  let view = await statusOf(deps.campaigns, record.campaignId);
  while (ticks < total && view.waiting > 0) {
    advanceTo(deps.clock, launchedAt.getTime() + ticks * intervalMs);
    const published = await deps.beforeTick(deps.clock.now());
    ticks++;
    if (published > 0) {
      view = await statusOf(deps.campaigns, record.campaignId);
      // Paused (by the circuit breaker): nothing in this run resumes it, so every later tick
      // would only put its journeys back.
      if (view.status === "paused") {
        deps.onProgress?.(total, total);
        break;
      }
    }
    // A tick with no journey due reads the due list and leaves; skipping it saves the run's time.
    if ((await deps.journeys.due(deps.clock.now().toISOString(), 1)).length > 0) {
      await deps.functions.tick();
      busyTicks++;
      view = await statusOf(deps.campaigns, record.campaignId);
    }
    deps.onProgress?.(ticks, total);
  }
  return {
    campaignId: record.campaignId,
    launchedAt: launchedAt.toISOString(),
    finishedAt: deps.clock.now().toISOString(),
    enrollmentChunks,
    ticks,
    busyTicks,
    intervalSeconds: options.intervalSeconds,
    view,
  };
}
