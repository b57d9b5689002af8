import type { Clock } from "../ports";

export type NumberType = "short_code" | "toll_free" | "10dlc";

/** Default message parts per second by origination number type (AWS End User Messaging, US). */
export const DEFAULT_MPS: Record<NumberType, number> = { short_code: 100, toll_free: 3, "10dlc": 1 };

export interface Pacer {
  /** Resolves when `parts` more message parts may go out without exceeding the rate. */
  acquire(parts?: number): Promise<void>;
  /**
   * Takes the tokens for `parts`, then runs `start` while no other caller can take tokens, and
   * stamps the tokens with the time `start` returned. `start` should do the last pre-send check
   * and begin the send (without awaiting its result), so the instant the window counts is the
   * instant the send really left, however long the check took.
   */
  pace<T>(parts: number, start: () => Promise<T>): Promise<T>;
}

/**
 * A token bucket of MPS tokens, where each token comes back exactly one second after it was
 * spent (a sliding-window log). Unlike a refill-per-tick bucket, no 1-second window (half-open)
 * ever holds more than MPS parts, even right after an idle period. Time comes from the Clock port.
 */
export function createPacer(mps: number, clock: Clock): Pacer {
  if (!(mps > 0)) throw new Error(`MPS must be positive, got ${mps}`);
  const capacity = Math.max(1, Math.floor(mps));
  const spentAt: number[] = new Array(capacity).fill(Number.NEGATIVE_INFINITY);
  let oldest = 0;
  // Serialize callers so concurrent sends share one timeline.
  let queue: Promise<unknown> = Promise.resolve();

  async function takeOne(): Promise<number> {
    for (;;) {
      const now = clock.now().getTime();
      const freeAt = spentAt[oldest] + 1000;
      if (now >= freeAt) {
        const slot = oldest;
        spentAt[slot] = now;
        oldest = (oldest + 1) % capacity;
        return slot;
      }
      await clock.sleep(freeAt - now);
    }
  }

  function pace<T>(parts: number, start: () => Promise<T>): Promise<T> {
    const turn = queue.then(async () => {
      const slots: number[] = [];
      for (let i = 0; i < parts; i++) slots.push(await takeOne());
      const result = await start();
      // Later than the take time, never earlier: the window only gets stricter.
      const sentAt = clock.now().getTime();
      for (const slot of slots) spentAt[slot] = sentAt;
      return result;
    });
    queue = turn.catch(() => undefined);
    return turn;
  }

  return {
    acquire: (parts = 1) => pace(parts, async () => undefined),
    pace,
  };
}
