import { describe, expect, it } from "vitest";
import { withRetry } from "../../../core/campaign/retry";
import type { SendRequest } from "../../../core/ports";
import { FakeClock, MemorySmsSender } from "../../../providers/local/runtime/memory";

const request: SendRequest = {
  to: "+12125551234",
  body: "hi",
  messageType: "transactional",
  idempotencyKey: "campaign:c/s/send",
};

describe("retrying throttled sends", () => {
  it("backs off exponentially with jitter and succeeds once the provider stops throttling", async () => {
    const clock = new FakeClock();
    const sender = new MemorySmsSender();
    sender.respondWith((_r, attempt) =>
      attempt < 4
        ? { status: "throttled", reason: "ThrottlingException" }
        : { status: "sent", messageId: "m-1" },
    );
    const retrying = withRetry(sender, { clock, baseDelayMs: 100, random: () => 0.5 });
    const result = await retrying.send(request);
    expect(result).toEqual({ status: "sent", messageId: "m-1" });
    expect(sender.requests).toHaveLength(4);
    // Full jitter at 0.5 of 100, 200, 400 ms.
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });

  it("stops after the bounded number of attempts and returns the typed throttled result", async () => {
    const clock = new FakeClock();
    const sender = new MemorySmsSender();
    sender.respondWith(() => ({ status: "throttled", reason: "rate exceeded" }));
    const result = await withRetry(sender, { clock, maxAttempts: 3, random: () => 1 }).send(request);
    expect(result).toEqual({ status: "throttled", reason: "rate exceeded" });
    expect(sender.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([200, 400]);
  });

  it("caps the delay and honours a longer Retry-After", async () => {
    const clock = new FakeClock();
    const sender = new MemorySmsSender();
    sender.respondWith((_r, attempt) =>
      attempt === 1
        ? { status: "throttled", reason: "slow down", retryAfterMs: 7000 }
        : attempt < 8
          ? { status: "failed", reason: "503", retryable: true }
          : { status: "sent", messageId: "m" },
    );
    await withRetry(sender, {
      clock,
      maxAttempts: 8,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 1,
    }).send(request);
    expect(clock.sleeps).toEqual([7000, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("does not retry permanent failures, opt-outs or invalid numbers", async () => {
    for (const result of [
      { status: "failed" as const, reason: "bad", retryable: false },
      { status: "opted_out" as const, reason: "STOP" },
      { status: "invalid_number" as const, reason: "landline" },
    ]) {
      const clock = new FakeClock();
      const sender = new MemorySmsSender();
      sender.respondWith(() => result);
      expect(await withRetry(sender, { clock }).send(request)).toEqual(result);
      expect(sender.requests).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    }
  });
});
