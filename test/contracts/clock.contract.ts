import { describe, expect, it } from "vitest";
import type { Clock } from "../../core/ports";
import type { Make } from "./support";

export function clockContract(name: string, make: Make<Clock>): void {
  describe(`Clock contract: ${name}`, () => {
    it("tells the time as a valid Date", async () => {
      const clock = await make();
      expect(Number.isNaN(clock.now().getTime())).toBe(false);
    });

    it("has moved forward by at least the slept duration after sleep resolves", async () => {
      const clock = await make();
      const before = clock.now().getTime();
      await clock.sleep(20);
      // One millisecond of slack: real timers round to whole milliseconds.
      expect(clock.now().getTime()).toBeGreaterThanOrEqual(before + 19);
    });
  });
}
