import type { ProviderName } from "../events/schema";
import type { Ports } from "../ports";
import { Budget } from "./budget";
import type { Journey } from "./journey";
import { createJourneyEngine, type JourneyEngine } from "./journey-engine";
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
}

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
  "clock" | "sender" | "ledger" | "optOuts" | "publisher" | "journeys" | "subscribers"
>;

/** The journey engine as a deployed ticker runs it: the stack's own stores, stream and sender. */
export function createTickerEngine(
  definitions: Journey[],
  ports: TickerPorts,
  settings: TickerSettings,
  provider: ProviderName,
): JourneyEngine {
  return createJourneyEngine(definitions, {
    ...ports,
    provider,
    pacer: createPacer(settings.mps, ports.clock),
    budget: new Budget(settings.budgetUsd),
    ...(settings.policy ? { policy: settings.policy } : {}),
  });
}

/** One scheduled tick: wakes due journeys and sends at most one interval's allowance. */
export async function runJourneyTick(
  engine: JourneyEngine,
  ports: Pick<Ports, "clock">,
  settings: TickerSettings,
): Promise<TickReport> {
  const startedAt = ports.clock.now();
  const allowanceParts = partsPerTick(settings);
  const advanced = await engine.tickJourneys(startedAt, { maxParts: allowanceParts });
  return {
    advanced,
    allowanceParts,
    startedAt: startedAt.toISOString(),
    finishedAt: ports.clock.now().toISOString(),
  };
}
