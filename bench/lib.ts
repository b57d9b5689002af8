import { createReadStream } from "node:fs";
import { parse } from "csv-parse";

/**
 * What a figure's ratio must stay within (`npm run bench -- --check` fails below it): at least
 * `min` for a throughput, at most `max` for a cost.
 */
export type Floor = { min: number } | { max: number };

/** One figure a benchmark prints, next to a baseline measured in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  baselineName: string;
  /** value / baseline. */
  ratio: number;
  floor?: Floor;
}

export function benchResult(
  name: string,
  value: number,
  unit: string,
  baseline: number,
  baselineName: string,
  floor?: Floor,
): BenchResult {
  return {
    name,
    value,
    unit,
    baseline,
    baselineName,
    ratio: baseline === 0 ? Number.NaN : value / baseline,
    ...(floor ? { floor } : {}),
  };
}

/** Whether a figure's ratio is within its floor (a figure without one always is). */
export function meetsFloor({ ratio, floor }: BenchResult): boolean {
  if (floor === undefined) return true;
  return "min" in floor ? ratio >= floor.min : ratio <= floor.max;
}

export const floorText = (floor: Floor | undefined): string =>
  floor === undefined ? "" : "min" in floor ? `>= ${floor.min}` : `<= ${floor.max}`;

/**
 * Fastest of `runs` timed calls after one warm-up call, in milliseconds. The fastest run is the
 * least disturbed by other processes sharing the machine.
 */
export function bestTimeMs(fn: () => unknown, runs = 5): number {
  return bestTimesMs({ fn }, runs).fn;
}

/**
 * Like bestTimeMs for several functions, taking turns run by run, so a figure and its baseline see
 * the same machine load even when other work comes and goes during the benchmark.
 */
export function bestTimesMs<K extends string>(fns: Record<K, () => unknown>, runs = 5): Record<K, number> {
  const names = Object.keys(fns) as K[];
  const best = Object.fromEntries(names.map((name) => [name, Number.POSITIVE_INFINITY])) as Record<K, number>;
  for (const name of names) fns[name]();
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const start = performance.now();
      fns[name]();
      best[name] = Math.min(best[name], performance.now() - start);
    }
  }
  return best;
}

export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;
/** A small seeded generator (mulberry32): the same seed gives the same data on every machine. */
export { mulberry32 as seededRandom } from "../providers/local/run/prng";

/** Fastest of `runs` awaited calls, in milliseconds (for work that streams a file). */
export async function bestOf(runs: number, fn: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Like bestOf for several awaited functions taking turns run by run, so a figure and its baseline
 * see the same machine load.
 */
export async function bestOfInTurn<K extends string>(
  runs: number,
  fns: Record<K, () => Promise<unknown>>,
): Promise<Record<K, number>> {
  const names = Object.keys(fns) as K[];
  const best = Object.fromEntries(names.map((name) => [name, Number.POSITIVE_INFINITY])) as Record<K, number>;
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const start = performance.now();
      await fns[name]();
      best[name] = Math.min(best[name], performance.now() - start);
    }
  }
  return best;
}

/** csv-parse alone reading a file: the floor any streaming audience reader sits on. Returns the rows. */
export async function csvParseRows(path: string): Promise<number> {
  let rows = 0;
  for await (const _record of createReadStream(path).pipe(parse({ info: true, relax_column_count: true })))
    rows++;
  return rows;
}
