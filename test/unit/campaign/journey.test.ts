import { describe, expect, it } from "vitest";
import { journey } from "../../../core/campaign/journey";
import { createJourneyEngine } from "../../../core/campaign/journey-engine";
import type { SmsEvent } from "../../../core/events/schema";
import { newYorkSubscriber, testCampaign } from "./deps";

const HOUR = 3_600_000;

/** The seed's Welcome Series, as written: send welcome -> wait 1 day -> send follow-up. */
const welcomeSeries = journey("welcome-series")
  .send("welcome", "Welcome to Acme, {{first_name}}!")
  .wait("1d")
  .send("follow-up", "How are you finding Acme, {{first_name}}?");

/** The same series with a reply branch: YES gets tips, silence gets the follow-up after a day. */
const welcomeWithReply = journey("welcome-reply")
  .send("welcome", "Welcome {{first_name}}! Reply YES for weekly tips.")
  .branch("answer", { on: { yes: "tips" }, timeout: "1d", otherwise: "follow-up" })
  .send("tips", "Tip 1: you can reply STOP at any time.")
  .end()
  .send("follow-up", "Still with us, {{first_name}}?");

function setup(now = "2026-06-15T16:00:00.000Z") {
  const { ports, deps } = testCampaign({ now });
  const ana = newYorkSubscriber(1, { first_name: "Ana" });
  void ports.subscribers.upsert(ana);
  const engine = createJourneyEngine([welcomeSeries, welcomeWithReply], {
    ...deps,
    journeys: ports.journeys,
    subscribers: ports.subscribers,
  });
  const bodies = () => ports.sender.delivered.map((r) => r.body);
  const reply = (body: string): SmsEvent => ({
    eventId: `reply-${body}`,
    schemaVersion: 1,
    kind: "received",
    occurredAt: ports.clock.now().toISOString(),
    provider: "local",
    phoneNumber: ana.phoneNumber,
    body,
  });
  return { ports, engine, ana, bodies, reply };
}

describe("journeys as code", () => {
  it("runs the seed's Welcome Series: welcome now, follow-up one day later, then done", async () => {
    const { ports, engine, ana, bodies } = setup();
    await engine.enroll("welcome-series", ana);
    expect(bodies()).toEqual(["Welcome to Acme, Ana!"]);
    expect(await ports.journeys.get("welcome-series", "sub-1")).toMatchObject({
      status: "waiting",
      wakeAt: "2026-06-16T16:00:00.000Z",
    });

    ports.clock.advance(23 * HOUR);
    expect(await engine.tickJourneys()).toBe(0);
    expect(bodies()).toHaveLength(1);

    ports.clock.advance(HOUR);
    expect(await engine.tickJourneys()).toBe(1);
    expect(bodies()).toEqual(["Welcome to Acme, Ana!", "How are you finding Acme, Ana?"]);
    expect(await ports.journeys.get("welcome-series", "sub-1")).toMatchObject({ status: "done" });
    const events = ports.publisher.records.map((r) => JSON.parse(new TextDecoder().decode(r.data)));
    expect(events.map((e) => [e.kind, e.journeyId, e.subscriberId, e.messageId])).toEqual([
      ["queued", "welcome-series", "sub-1", "msg-journey:welcome-series/sub-1/welcome"],
      ["queued", "welcome-series", "sub-1", "msg-journey:welcome-series/sub-1/follow-up"],
    ]);

    // Ticking again and enrolling again change nothing.
    ports.clock.advance(48 * HOUR);
    await engine.tickJourneys();
    await engine.enroll("welcome-series", ana);
    expect(bodies()).toHaveLength(2);
  });

  it("holds a step that wakes in quiet hours until the recipient's morning", async () => {
    // Enrolled at 20:30 New York time: the welcome goes out; the tick comes at 21:30 the next day.
    const { ports, engine, ana, bodies } = setup("2026-06-16T00:30:00.000Z");
    await engine.enroll("welcome-series", ana);
    expect(bodies()).toHaveLength(1);
    ports.clock.set("2026-06-17T01:30:00.000Z"); // 21:30 EDT, past the wake time
    await engine.tickJourneys();
    expect(bodies()).toHaveLength(1);
    expect(await ports.journeys.get("welcome-series", "sub-1")).toMatchObject({
      status: "waiting",
      stepId: "follow-up",
      wakeAt: "2026-06-17T12:00:00.000Z",
    });
    ports.clock.set("2026-06-17T12:00:00.000Z");
    await engine.tickJourneys();
    expect(bodies()).toHaveLength(2);
  });

  it("branches on a YES reply: tips are sent and the timeout follow-up never is", async () => {
    const { ports, engine, ana, bodies, reply } = setup();
    await engine.enroll("welcome-reply", ana);
    ports.clock.advance(2 * HOUR);
    expect(await engine.onReply(reply("yes please"))).toBe(1);
    expect(bodies()).toEqual([
      "Welcome Ana! Reply YES for weekly tips.",
      "Tip 1: you can reply STOP at any time.",
    ]);
    ports.clock.advance(3 * 24 * HOUR);
    await engine.tickJourneys();
    expect(bodies()).toHaveLength(2);
    expect(await ports.journeys.get("welcome-reply", "sub-1")).toMatchObject({
      status: "done",
      lastReply: "YES",
    });
  });

  it("takes the timeout path when no matching reply arrives within a day", async () => {
    const { ports, engine, ana, bodies, reply } = setup();
    await engine.enroll("welcome-reply", ana);
    expect(await engine.onReply(reply("maybe later"))).toBe(0);
    ports.clock.advance(24 * HOUR);
    await engine.tickJourneys();
    expect(bodies()).toEqual(["Welcome Ana! Reply YES for weekly tips.", "Still with us, Ana?"]);
    // A late YES no longer moves a finished journey.
    expect(await engine.onReply(reply("YES"))).toBe(0);
    expect(bodies()).toHaveLength(2);
  });

  it("sends nothing more after the subscriber opts out mid-journey", async () => {
    const { ports, engine, ana, bodies } = setup();
    await engine.enroll("welcome-series", ana);
    await ports.optOuts.optOut(ana.phoneNumber, ports.clock.now().toISOString(), "stop-1");
    ports.clock.advance(24 * HOUR);
    await engine.tickJourneys();
    expect(bodies()).toHaveLength(1);
    expect(await ports.journeys.get("welcome-series", "sub-1")).toMatchObject({ status: "done" });
  });

  it("ends every journey of the subscriber at once on a STOP-family reply, even one held for quiet hours", async () => {
    // 21:30 in New York: the welcome of welcome-reply is held for the morning; welcome-series waits a day.
    const { ports, engine, ana, bodies, reply } = setup("2026-06-16T01:30:00.000Z");
    await engine.enroll("welcome-series", ana);
    await engine.enroll("welcome-reply", ana);
    expect(bodies()).toHaveLength(0);
    expect(await engine.onReply(reply("Unsubscribe"))).toBe(2);
    for (const id of ["welcome-series", "welcome-reply"]) {
      expect(await ports.journeys.get(id, "sub-1")).toMatchObject({ status: "done", lastReply: "STOP" });
    }
    ports.clock.advance(3 * 24 * HOUR);
    expect(await engine.tickJourneys()).toBe(0);
    expect(bodies()).toHaveLength(0);
  });

  it("sends at most a tick's allowance of parts, and leaves the rest due for the next tick", async () => {
    const { ports, engine, bodies } = setup();
    const subscribers = Array.from({ length: 7 }, (_, i) => newYorkSubscriber(10 + i, { first_name: "Al" }));
    for (const subscriber of subscribers) {
      await ports.subscribers.upsert(subscriber);
      await engine.enroll("welcome-series", subscriber);
    }
    ports.clock.advance(24 * HOUR);
    const followUps = () => bodies().filter((body) => body.startsWith("How are you")).length;
    const perTick: number[] = [];
    for (let tick = 0; tick < 4; tick++) {
      const before = followUps();
      await engine.tickJourneys(ports.clock.now(), { maxParts: 3 });
      perTick.push(followUps() - before);
      ports.clock.advance(60_000);
    }
    expect(perTick).toEqual([3, 3, 1, 0]);
    const recipients = ports.sender.delivered
      .filter((r) => r.body.startsWith("How are you"))
      .map((r) => r.to);
    expect(new Set(recipients).size).toBe(7);
  });

  it.each([
    [1, "one at a time"],
    [16, "sixteen at once"],
  ])(
    "holds the allowance with %i due journeys advanced %s, two-part messages included",
    async (concurrency) => {
      const { ports, engine } = setup();
      // A long name makes the follow-up two parts for a third of the subscribers.
      const subscribers = Array.from({ length: 30 }, (_, i) =>
        newYorkSubscriber(40 + i, { first_name: i % 3 === 0 ? "A".repeat(150) : "Al" }),
      );
      for (const subscriber of subscribers) {
        await ports.subscribers.upsert(subscriber);
        await engine.enroll("welcome-series", subscriber);
      }
      ports.clock.advance(24 * HOUR);
      const sentParts = () =>
        ports.sender.delivered
          .filter((r) => r.body.startsWith("How are you"))
          .reduce((sum, r) => sum + (r.body.length > 160 ? 2 : 1), 0);
      const perTick: number[] = [];
      for (let tick = 0; tick < 6; tick++) {
        const before = sentParts();
        await engine.tickJourneys(ports.clock.now(), { maxParts: 9, concurrency });
        perTick.push(sentParts() - before);
        ports.clock.advance(60_000);
      }
      // A send starts while any part remains, so a tick ends at most one part over: 9 or 10.
      for (const parts of perTick.slice(0, 4)) expect([9, 10]).toContain(parts);
      expect(perTick.at(-1)).toBe(0);
      expect(perTick.reduce((a, b) => a + b, 0)).toBe(40);
      const recipients = ports.sender.delivered
        .filter((r) => r.body.startsWith("How are you"))
        .map((r) => r.to);
      expect(recipients).toHaveLength(30);
      expect(new Set(recipients).size).toBe(30);
    },
  );

  it("keeps journey steps exactly-once when two ticks race for the same wake-up", async () => {
    const { ports, engine, ana, bodies } = setup();
    await engine.enroll("welcome-series", ana);
    ports.clock.advance(24 * HOUR);
    await Promise.all([engine.tickJourneys(), engine.tickJourneys()]);
    expect(bodies()).toHaveLength(2);
  });

  it("rejects a branch that points at a step that does not exist", () => {
    const broken = journey("broken").branch("b", {
      on: { YES: "nowhere" },
      timeout: "1h",
      otherwise: "also-nowhere",
    });
    expect(() => broken.validate()).toThrow(/unknown step nowhere/);
    expect(() => journey("x").wait("soon")).toThrow(/not a duration/);
  });
});
