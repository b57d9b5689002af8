import type { Clock } from "../core/ports";
import { SystemClock } from "../providers/local/runtime/memory";

/** Wall-clock time shifted so a command runs as if it were --at (quiet hours, wake times). */
export class ShiftedClock implements Clock {
  private readonly offsetMs: number;
  private readonly real = new SystemClock();

  constructor(start: Date) {
    this.offsetMs = start.getTime() - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  sleep(ms: number): Promise<void> {
    return this.real.sleep(ms);
  }
}
