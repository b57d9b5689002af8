import type { ProviderName } from "../events/schema";
import type { CampaignStore, OptOutReviewStore, Ports } from "../ports";
import { Budget } from "./budget";
import { journeyOfCampaign, tickControlOf } from "./campaign";
import { addInto, CAMPAIGN_COUNTERS, outcomeCounts } from "./campaign-counters";
import type { Journey } from "./journey";
import {
  createJourneyEngine,
  type JourneyEngine,
  type TickControl,
  type TickObserver,
} from "./journey-engine";
import { createPacer } from "./pacer";
import type { PolicyConfig } from "./policy";

export interface TickerSettings {
  /** Message parts per second the origination identity may send. */
  mps: number;
  /** Seconds between ticks (the schedule's rate). */
  intervalSeconds: number;
  /** Spending cap of one tick, in USD; none when absent. */
  budgetUsd?: number;
  policy?: PolicyConfig;
  /** Due journeys a tick advances at once (default TICK_CONCURRENCY). */
  concurrency?: number;
}

/**
 * Enough sends in flight to fill one stream write and hide a store round trip, few enough that a
 * tick's memory and its store's write rate stay small; the MPS allowance holds at any value.
 */
export const TICK_CONCURRENCY = 16;

export interface TickReport {
  advanced: number;
  /** The parts this tick was allowed: MPS times the interval. */
  allowanceParts: number;
  startedAt: string;
  finishedAt: string;
}

/**
 * A tick may send what the MPS allows in its interval, so ticks never pile up behind each other;
 * the pacer spreads those parts at the MPS inside the tick.
 */
export const partsPerTick = (settings: Pick<TickerSettings, "mps" | "intervalSeconds">): number =>
  Math.max(1, Math.floor(settings.mps * settings.intervalSeconds));

export type TickerPorts = Pick<
  Ports,
  "clock" | "sender" | "ledger" | "optOuts" | "publisher" | "journeys" | "subscribers" | "optOutReviews"
>;

/** The journey engine as a deployed ticker runs it: the stack's own stores, stream and sender. */
export function createTickerEngine(
  definitions: Journey[],
  ports: TickerPorts,
  settings: TickerSettings,
  provider: ProviderName,
): JourneyEngine {
  const { optOutReviews, ...rest } = ports;
  return createJourneyEngine(definitions, {
    ...rest,
    ...(optOutReviews ? { reviews: optOutReviews } : {}),
    provider,
    pacer: createPacer(settings.mps, ports.clock),
    budget: new Budget(settings.budgetUsd),
    ...(settings.policy ? { policy: settings.policy } : {}),
  });
}

/**
 * What a deployed ticker runs on. The review queue is required here (optional for the engine
 * elsewhere): a stack's ticker must hold every number whose reply waits for review.
 */
export type CampaignTickerPorts = TickerPorts & {
  campaigns: CampaignStore;
  optOutReviews: OptOutReviewStore;
};

export interface CampaignTickReport extends TickReport {
  /** What the tick added to each campaign's counters. */
  campaigns: Record<string, Record<string, number>>;
}

/**
 * One scheduled tick over the code's journeys and every launched campaign. Campaign status is read
 * once per tick, so pause, resume and cancel take effect within one tick: a paused campaign's due
 * journeys are put back by one interval, a cancelled one's are ended. A due journey whose
 * definition is gone is put back too, so it never crowds out the rest of the due list.
 */
export async function runCampaignTick(
  code: Journey[],
  ports: CampaignTickerPorts,
  settings: TickerSettings,
  provider: ProviderName,
): Promise<CampaignTickReport> {
  const records = await ports.campaigns.list();
  const statusOf = new Map(records.map((record) => [record.campaignId, record.status]));
  const codeIds = new Set(code.map((definition) => definition.id));
  const launched = records.filter((record) => record.status !== "cancelled").map(journeyOfCampaign);
  const engine = createTickerEngine([...code, ...launched], ports, settings, provider);

  const added: Record<string, Record<string, number>> = {};
  const tally = (campaignId: string, delta: Record<string, number>) => {
    added[campaignId] = added[campaignId] ?? {};
    addInto(added[campaignId], delta);
  };
  const control = (journeyId: string): TickControl => {
    if (codeIds.has(journeyId)) return "run";
    const status = statusOf.get(journeyId);
    return status ? tickControlOf(status) : "defer";
  };
  const observer: TickObserver = {
    outcome: (definition, stepId, outcome) => {
      if (definition.campaignId) tally(definition.campaignId, outcomeCounts(stepId, outcome));
    },
    ended: (journeyId, how) => {
      if (statusOf.has(journeyId)) tally(journeyId, { [CAMPAIGN_COUNTERS.ended]: 1, [how]: 1 });
    },
  };

  const startedAt = ports.clock.now();
  const allowanceParts = partsPerTick(settings);
  const advanced = await engine.tickJourneys(startedAt, {
    maxParts: allowanceParts,
    control,
    observer,
    deferMs: settings.intervalSeconds * 1000,
    concurrency: settings.concurrency ?? TICK_CONCURRENCY,
  });
  for (const [campaignId, delta] of Object.entries(added)) await ports.campaigns.addCounts(campaignId, delta);
  return {
    advanced,
    allowanceParts,
    startedAt: startedAt.toISOString(),
    finishedAt: ports.clock.now().toISOString(),
    campaigns: added,
  };
}
