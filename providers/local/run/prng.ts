/**
 * A small seeded PRNG (mulberry32) and a string hash (FNV-1a), so that `--seed` makes a run
 * reproducible. Per-message decisions hash (seed, key) instead of drawing from one shared
 * sequence, so they do not depend on the order in which concurrent sends happen.
 */

export type Random = () => number;

/** mulberry32: 32-bit state, good enough statistics for a simulation, tiny and fast. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the UTF-16 code units of a string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A generator dedicated to one key under one seed: the same (seed, key) always draws the same numbers. */
export function randomFor(seed: number, key: string): Random {
  return mulberry32(hashString(`${seed}:${key}`));
}

/** Picks from weighted choices with one draw in [0, 1). */
export function pickWeighted<T>(draw: number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let cursor = draw * total;
  for (const [value, weight] of choices) {
    if (cursor < weight) return value;
    cursor -= weight;
  }
  return choices[choices.length - 1][0];
}

/** A UUID-shaped id drawn from a seeded generator (the carrier's message ids look like the real ones). */
export function seededUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
