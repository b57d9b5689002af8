import type { Clock } from "../../../../core/ports";

/** The wall clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/**
 * A clock that only moves when told to. `sleep` advances the clock instead of waiting, so code
 * that paces or backs off runs instantly and deterministically in tests; no timer is ever left running.
 */
export class FakeClock implements Clock {
  private current: number;
  /** Every duration passed to sleep, in order: lets a test assert pacing without waiting. */
  readonly sleeps: number[] = [];

  constructor(start: Date | string = "2026-01-01T00:00:00.000Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.advance(ms);
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError("a clock cannot go backwards");
    this.current += ms;
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
