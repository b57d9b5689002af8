import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "../../../core/ports";

/** The wall clock; tests inject their own Clock instead. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  async sleep(ms: number): Promise<void> {
    await sleep(ms);
  }
}
