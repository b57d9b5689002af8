import { describe, expect, it } from "vitest";
import { createPacer, DEFAULT_MPS } from "../../../core/campaign/pacer";
import { FakeClock } from "../../../providers/local/runtime/memory";

/** The largest number of sends in any half-open 1-second window [t, t+1000). */
function maxInAnySecond(times: number[]): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= 1000) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

async function sendTimes(
  mps: number,
  count: number,
  clock: FakeClock,
  gapsMs: number[] = [],
): Promise<number[]> {
  const pacer = createPacer(mps, clock);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    if (gapsMs[i]) clock.advance(gapsMs[i]);
    await pacer.acquire();
    times.push(clock.now().getTime());
  }
  return times;
}

describe("pacing at the sender's MPS", () => {
  it.each([
    ["short code", DEFAULT_MPS.short_code, 450],
    ["toll-free", DEFAULT_MPS.toll_free, 20],
    ["10DLC", DEFAULT_MPS["10dlc"], 8],
    ["a fractional-free custom rate", 7, 50],
  ])("never exceeds %s MPS in any 1-second window", async (_type, mps, count) => {
    const times = await sendTimes(mps, count, new FakeClock());
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(mps);
    // ...and it does not crawl either: the whole run takes about count/mps seconds.
    const elapsed = times[times.length - 1] - times[0];
    expect(elapsed).toBeLessThan(Math.ceil(count / mps) * 1000);
    expect(elapsed).toBeGreaterThanOrEqual((Math.ceil(count / mps) - 1) * 1000);
  });

  it("does not burst above the rate after an idle period", async () => {
    const gaps = Array.from({ length: 60 }, (_, i) => (i % 15 === 0 ? 5000 : i % 4 === 0 ? 130 : 0));
    const times = await sendTimes(10, 60, new FakeClock(), gaps);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(10);
  });

  it("counts every part of a multipart message against the rate", async () => {
    const clock = new FakeClock();
    const pacer = createPacer(3, clock);
    await pacer.acquire(3);
    const before = clock.now().getTime();
    await pacer.acquire(1);
    expect(clock.now().getTime() - before).toBe(1000);
  });

  it("keeps concurrent callers on one timeline", async () => {
    const clock = new FakeClock();
    const pacer = createPacer(5, clock);
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 23 }, () => pacer.acquire().then(() => times.push(clock.now().getTime()))),
    );
    expect(maxInAnySecond(times.sort((a, b) => a - b))).toBeLessThanOrEqual(5);
  });

  it("rejects a rate that is not positive", () => {
    expect(() => createPacer(0, new FakeClock())).toThrow(/positive/);
  });
});
