import { describe, expect, it } from "vitest";
import type { JourneyState } from "../../../core/ports";
import { createTickerHandler } from "../../../providers/aws/handlers/ticker";
import { createAwsPorts } from "../../../providers/aws/runtime/aws-ports";
import { javaAvailable } from "../../../providers/local/emulators";
import { ensureQueue, ensureStream } from "../../../providers/local/emulators/provision";
import { FakeClock } from "../../../providers/local/runtime/memory";
import { once, tickerEnvOn, uniqueName, useAwsEmulators } from "../../emulators/aws";
import { readStream } from "../../emulators/readers";
import { RecordingSender } from "../../support/recording-sender";

const hasJava = javaAvailable();
const fixture = useAwsEmulators({ kinesis: true, fauxqs: true, dynamodb: hasJava });
const clients = () => fixture.clients();

const env = once(async () => {
  const c = clients();
  const streamName = uniqueName("events");
  await ensureStream(c.kinesis, streamName, { shards: 1 });
  const dlq = await ensureQueue(c.sqs, uniqueName("dlq"));
  return tickerEnvOn(c.dynamodb, { streamName, dlqUrl: dlq.url });
});

/** Noon UTC, inside every subscriber's sending window (they live in UTC). */
const NOON = Date.parse("2026-06-16T12:00:00.000Z");

/** A subscriber whose Welcome Series branch timed out an hour ago: the follow-up is due. */
const dueAtFollowUp = (n: number): JourneyState => ({
  journeyId: "welcome-series",
  subscriberId: `tick-sub-${n}`,
  phoneNumber: `+1212555${String(2000 + n)}`,
  stepId: "answer",
  status: "waiting",
  wakeAt: new Date(NOON - 3_600_000).toISOString(),
  version: 2,
  updatedAt: new Date(NOON - 86_400_000).toISOString(),
});

describe.skipIf(!hasJava)("AWS journey ticker (DynamoDB Local, kinesis-local)", () => {
  it("sends at most one interval's allowance per tick, skips an opted-out number, and publishes each send to Kinesis", async () => {
    const sender = new RecordingSender();
    const clock = new FakeClock(new Date(NOON));
    const ports = createAwsPorts(await env(), { clients: clients(), sender, clock });
    const states = Array.from({ length: 5 }, (_, i) => dueAtFollowUp(i));
    for (const state of states) {
      await ports.subscribers.upsert({
        subscriberId: state.subscriberId,
        phoneNumber: state.phoneNumber,
        timeZone: "UTC",
        attributes: { first_name: `N${state.subscriberId.slice(-1)}` },
      });
      expect(await ports.journeys.put(state, 0)).toBe(true);
    }
    await ports.optOuts.optOut(states[4].phoneNumber, clock.now().toISOString(), "stop-tick-4");
    // 50 MPS over a 60 ms interval: 3 parts per tick.
    const tick = createTickerHandler({ ports, settings: { mps: 50, intervalSeconds: 0.06 } });

    const first = await tick();
    expect(first.allowanceParts).toBe(3);
    expect(sender.requests).toHaveLength(3);
    clock.advance(60_000);
    await tick();
    expect(sender.requests.map((r) => r.to).sort()).toEqual(
      states
        .slice(0, 4)
        .map((s) => s.phoneNumber)
        .sort(),
    );
    expect(new Set(sender.requests.map((r) => r.idempotencyKey)).size).toBe(4);
    for (const state of states.slice(0, 4)) {
      expect(await ports.journeys.get("welcome-series", state.subscriberId)).toMatchObject({
        status: "done",
      });
    }
    expect(await ports.journeys.get("welcome-series", states[4].subscriberId)).toMatchObject({
      status: "done",
    });
    expect(await ports.journeys.due(new Date(NOON + 7 * 86_400_000).toISOString(), 10)).toEqual([]);

    const published = (await readStream(clients().kinesis, (await env()).STREAM_NAME)).map((r) =>
      JSON.parse(new TextDecoder().decode(r.data)),
    );
    expect(
      published
        .filter((e) => e.kind === "queued")
        .map((e) => e.subscriberId)
        .sort(),
    ).toEqual(
      states
        .slice(0, 4)
        .map((s) => s.subscriberId)
        .sort(),
    );
  }, 60_000);
});

if (!hasJava) {
  describe("AWS journey ticker", () => {
    it.skip("skipped: Java is not installed, and DynamoDB Local (the journey store's emulator) needs it", () => {});
  });
}
