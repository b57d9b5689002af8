import { randomInt, randomUUID } from "node:crypto";

/** Builds the adapter under test; async so emulator-backed adapters can create tables or queues first. */
export type Make<T> = () => Promise<T> | T;

/** A unique id per test, so the suites never assume an empty store and can share one emulator. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID()}`;

/** A random, valid E.164 number in the North American fictional 555-01xx range style. */
export const uniquePhone = (): string => `+1555${String(randomInt(0, 10_000_000)).padStart(7, "0")}`;

/** An ISO timestamp `offsetMs` after `base`. */
export const isoAfter = (base: string, offsetMs: number): string =>
  new Date(Date.parse(base) + offsetMs).toISOString();

/**
 * Secondary-index reads (DynamoDB GSIs, and DynamoDB Local under load) are eventually
 * consistent, so an assertion on one retries for a bounded time instead of reading once. 20 s:
 * on a loaded 2-core machine DynamoDB Local's index once lagged past 5 s.
 */
export const INDEX_SETTLE = { timeout: 20_000, interval: 100 } as const;
