import { describe, expect, it } from "vitest";
import type { RevocationClock } from "../../../core/ports";
import { acceptReview } from "../../../core/processing/opt-out-review";
import { processReplies, type ResponsesSettings } from "../../../core/processing/responses";
import {
  judgeRevocation,
  monitorRevocations,
  REVOCATION_SENDS_READ,
  REVOCATION_SLA_METRIC,
  type RevocationEvidence,
} from "../../../core/processing/revocation-sla";
import { reply, smsEvent } from "./events";
import { ana, anaWaitingOnYes, NOW } from "./waiting-on-yes";

const settings: ResponsesSettings = {
  helpText: "Acme alerts: reply STOP to opt out.",
  stopConfirmationText: "You are unsubscribed. Reply START to resubscribe.",
  patterns: [],
};
const WINDOW = 5;
const STOP_AT = "2026-11-24T10:00:30.000Z";
const minutes = (n: number) => n * 60_000;

/**
 * Ana replies STOP at 10:00:30 through the responses consumer; the confirmation's `queued` event
 * reaches the message log a second later, as the stream delivers it on every cloud.
 */
async function anaStops(options: { routeJourneys?: boolean; confirmationFails?: boolean } = {}) {
  const fixture = await anaWaitingOnYes();
  const { ports } = fixture;
  if (options.confirmationFails) {
    ports.sender.respondWith(() => ({ status: "failed", reason: "carrier refused", retryable: false }));
  }
  const stop = reply("STOP", { phoneNumber: ana.phoneNumber, occurredAt: STOP_AT });
  const consumerPorts = options.routeJourneys === false ? ports : fixture.consumerPorts;
  await processReplies([stop], consumerPorts, settings);
  const confirmation = ports.sender.to(ana.phoneNumber)[0];
  if (confirmation) {
    await ports.messages.record({
      messageId: `msg-${confirmation.idempotencyKey}`,
      phoneNumber: ana.phoneNumber,
      sentAt: "2026-11-24T10:00:31.000Z",
    });
  }
  const monitor = () => monitorRevocations(ports, { windowMinutes: WINDOW });
  return { ports, stop, monitor };
}

describe("the revocation SLA monitor", () => {
  it("judges a STOP met once its window has passed: confirmed, suppressed, journeys ended, nothing sent after", async () => {
    const { ports, stop, monitor } = await anaStops();
    ports.clock.advance(minutes(6));
    const report = await monitor();
    expect(report).toMatchObject({ judged: 1, met: 1, breached: 0 });
    const [clock] = await ports.revocations.list();
    expect(clock).toMatchObject({
      eventId: stop.eventId,
      optedOutAt: STOP_AT,
      source: "reply_keyword",
      confirmationMessageId: `msg-${stop.eventId}:stop-confirmation`,
      verdict: { status: "met", failures: [] },
    });
    expect(ports.metrics.datums).toEqual([
      expect.objectContaining({ name: REVOCATION_SLA_METRIC, value: 0, dimensions: {} }),
    ]);
  });

  it("leaves a clock pending while its window has not passed, and emits nothing", async () => {
    const { ports, monitor } = await anaStops({ confirmationFails: true });
    ports.clock.advance(minutes(4));
    expect(await monitor()).toMatchObject({ judged: 0 });
    expect((await ports.revocations.list())[0]?.verdict).toBeUndefined();
    expect(ports.metrics.datums).toEqual([]);
  });

  it("breaches when the confirmation never went, and counts the breach in the alarm's metric", async () => {
    const { ports, stop, monitor } = await anaStops({ confirmationFails: true });
    ports.clock.advance(minutes(6));
    expect(await monitor()).toEqual({
      judged: 1,
      met: 0,
      breached: 1,
      breaches: [{ eventId: stop.eventId, failed: ["confirmation_sent"] }],
    });
    expect((await ports.revocations.list())[0]?.verdict?.failures).toEqual([
      { check: "confirmation_sent", reason: "no confirmation was sent" },
    ]);
    expect(ports.metrics.total(REVOCATION_SLA_METRIC)).toBe(1);
  });

  it("breaches when a marketing message went to the number after the opt-out", async () => {
    const { ports, monitor } = await anaStops();
    await ports.messages.record({
      messageId: "msg-late-promo",
      phoneNumber: ana.phoneNumber,
      sentAt: "2026-11-24T10:02:00.000Z",
      campaignId: "black-friday",
    });
    ports.clock.advance(minutes(6));
    expect((await monitor()).breaches).toEqual([{ eventId: expect.any(String), failed: ["no_send_after"] }]);
    const [clock] = await ports.revocations.list();
    expect(clock?.verdict?.failures[0]?.reason).toBe(
      "message msg-late-promo was sent at 2026-11-24T10:02:00.000Z, after the opt-out",
    );
    expect(JSON.stringify(clock?.verdict)).not.toContain(ana.phoneNumber);
  });

  it("breaches a marketing send after the opt-out even when the confirmation, sent later, is the newest message", async () => {
    const { ports, monitor } = await anaStops();
    // Dispatch raced the STOP: the promo went between the opt-out (10:00:30) and the confirmation (10:00:31).
    await ports.messages.record({
      messageId: "msg-raced-promo",
      phoneNumber: ana.phoneNumber,
      sentAt: "2026-11-24T10:00:30.500Z",
      campaignId: "black-friday",
    });
    ports.clock.advance(minutes(6));
    expect((await monitor()).breaches).toEqual([{ eventId: expect.any(String), failed: ["no_send_after"] }]);
    expect((await ports.revocations.list())[0]?.verdict?.failures[0]?.reason).toBe(
      "message msg-raced-promo was sent at 2026-11-24T10:00:30.500Z, after the opt-out",
    );
  });

  it("breaches a send between the opt-out and a later opt-in, however many consented messages follow", async () => {
    const { ports, monitor } = await anaStops();
    await ports.messages.record({
      messageId: "msg-promo-before-start",
      phoneNumber: ana.phoneNumber,
      sentAt: "2026-11-24T10:00:50.000Z",
      campaignId: "black-friday",
    });
    const start = reply("START", { phoneNumber: ana.phoneNumber, occurredAt: "2026-11-24T10:01:00.000Z" });
    await processReplies([start], ports, settings);
    // More consented sends than the monitor reads: the send before the START is still among them.
    for (let second = 1; second <= REVOCATION_SENDS_READ + 2; second++) {
      await ports.messages.record({
        messageId: `msg-after-start-${second}`,
        phoneNumber: ana.phoneNumber,
        sentAt: `2026-11-24T10:02:${String(second).padStart(2, "0")}.000Z`,
      });
    }
    ports.clock.advance(minutes(6));
    expect(await monitor()).toMatchObject({
      judged: 1,
      breached: 1,
      breaches: [{ eventId: expect.any(String), failed: ["no_send_after"] }],
    });
    expect((await ports.revocations.list())[0]?.verdict?.failures[0]?.reason).toBe(
      "message msg-promo-before-start was sent at 2026-11-24T10:00:50.000Z, after the opt-out",
    );
  });

  it("breaches when a journey of the subscriber is still due to send (the STOP did not end it)", async () => {
    const { ports, monitor } = await anaStops({ routeJourneys: false });
    ports.clock.advance(minutes(6));
    const report = await monitor();
    expect(report.breaches[0]?.failed).toEqual(["journeys_ended"]);
    expect((await ports.revocations.list())[0]?.verdict?.failures[0]?.reason).toBe(
      "journeys still open: welcome-series@answer (waiting)",
    );
  });

  it("breaches when the opt-out store no longer lists the number without any opt-in evidence", async () => {
    const { ports, monitor } = await anaStops();
    await ports.optOuts.optIn(ana.phoneNumber);
    ports.clock.advance(minutes(6));
    expect((await monitor()).breaches[0]?.failed).toEqual(["suppressed"]);
  });

  it("judges a number that opted back in (START, with its consent evidence) as met", async () => {
    const { ports, monitor } = await anaStops();
    const start = reply("START", { phoneNumber: ana.phoneNumber, occurredAt: "2026-11-24T10:01:00.000Z" });
    await processReplies([start], ports, settings);
    await ports.messages.record({
      messageId: "msg-after-start",
      phoneNumber: ana.phoneNumber,
      sentAt: "2026-11-24T10:02:00.000Z",
    });
    ports.clock.advance(minutes(6));
    expect(await monitor()).toMatchObject({ judged: 1, met: 1 });
  });

  it("judges each clock once: a later run finds nothing due and emits nothing", async () => {
    const { ports, monitor } = await anaStops({ confirmationFails: true });
    ports.clock.advance(minutes(6));
    await monitor();
    ports.clock.advance(minutes(1));
    expect(await monitor()).toMatchObject({ judged: 0 });
    expect(ports.metrics.datums).toHaveLength(1);
  });

  it("expects no confirmation of ours for a carrier opt-out, whose journeys the consumer ends too", async () => {
    const { ports, consumerPorts } = await anaWaitingOnYes();
    const carrier = smsEvent({ kind: "opted_out", phoneNumber: ana.phoneNumber, occurredAt: STOP_AT });
    await processReplies([carrier], consumerPorts, settings);
    ports.clock.advance(minutes(6));
    expect(await monitorRevocations(ports, { windowMinutes: WINDOW })).toMatchObject({ met: 1 });
    expect((await ports.revocations.list())[0]).toMatchObject({
      source: "carrier_opt_out",
      confirmationExpected: false,
    });
    expect(ports.sender.requests).toEqual([]);
  });

  it("starts an accepted review's clock at the decision, confirmed under the reply's key", async () => {
    const { ports, consumerPorts } = await anaWaitingOnYes();
    const doubtful = reply("please don't text me anymore", {
      phoneNumber: ana.phoneNumber,
      occurredAt: STOP_AT,
    });
    await processReplies([doubtful], consumerPorts, {
      ...settings,
      optOutThresholds: { optOut: 0.999, review: 0.1 },
    });
    expect(await ports.revocations.list()).toEqual([]);
    ports.clock.advance(minutes(30));
    await acceptReview(doubtful.eventId, consumerPorts, settings);
    const [clock] = await ports.revocations.list();
    expect(clock).toMatchObject({
      source: "review_accept",
      optedOutAt: "2026-11-24T10:30:00.000Z",
      confirmationMessageId: `msg-${doubtful.eventId}:stop-confirmation`,
    });
  });
});

describe("judgeRevocation", () => {
  const clock: RevocationClock = {
    eventId: "evt-stop",
    phoneNumber: ana.phoneNumber,
    optedOutAt: NOW,
    source: "reply_keyword",
    confirmationExpected: true,
    confirmedAt: "2026-11-24T10:00:02.000Z",
    confirmationMessageId: "msg-confirm",
  };
  const clean: RevocationEvidence = {
    sendBlock: "opted_out",
    openJourneys: [],
    sentAfter: [{ messageId: "msg-confirm", sentAt: "2026-11-24T10:00:02.000Z" }],
  };
  const at = (iso: string) => new Date(iso);

  it("is pending until the window ends, naming when", () => {
    expect(judgeRevocation(clock, clean, at("2026-11-24T10:04:59.999Z"), 5)).toEqual({
      status: "pending",
      dueAt: "2026-11-24T10:05:00.000Z",
    });
    expect(judgeRevocation(clock, clean, at("2026-11-24T10:05:00.000Z"), 5).status).toBe("met");
  });

  it("breaches a confirmation sent after the window", () => {
    const late = { ...clock, confirmedAt: "2026-11-24T10:07:00.000Z" };
    expect(judgeRevocation(late, clean, at("2026-11-24T10:08:00.000Z"), 5)).toMatchObject({
      status: "breached",
      failures: [
        { check: "confirmation_sent", reason: "confirmation sent late, at 2026-11-24T10:07:00.000Z" },
      ],
    });
  });

  it("names a review hold as not enough: the opt-out store must list the number", () => {
    const held = { ...clean, sendBlock: "pending_review" as const };
    expect(judgeRevocation(clock, held, at("2026-11-24T10:06:00.000Z"), 5)).toMatchObject({
      status: "breached",
      failures: [{ check: "suppressed" }],
    });
  });

  it("judges every send after the opt-out, not only the newest, and counts the others", () => {
    const sends: RevocationEvidence = {
      ...clean,
      sentAfter: [
        { messageId: "msg-same-instant", sentAt: NOW },
        { messageId: "msg-promo", sentAt: "2026-11-24T10:00:01.000Z" },
        { messageId: "msg-confirm", sentAt: "2026-11-24T10:00:02.000Z" },
        { messageId: "msg-reminder", sentAt: "2026-11-24T10:00:03.000Z" },
        { messageId: "msg-after-start", sentAt: "2026-11-24T10:00:05.000Z" },
      ],
      optedInAt: "2026-11-24T10:00:04.000Z",
    };
    expect(judgeRevocation(clock, sends, at("2026-11-24T10:06:00.000Z"), 5)).toMatchObject({
      status: "breached",
      failures: [
        {
          check: "no_send_after",
          reason: "message msg-promo was sent at 2026-11-24T10:00:01.000Z, after the opt-out (and 1 more)",
        },
      ],
    });
    const consented = { ...sends, sentAfter: [sends.sentAfter[0], sends.sentAfter[2], sends.sentAfter[4]] };
    expect(judgeRevocation(clock, consented, at("2026-11-24T10:06:00.000Z"), 5).status).toBe("met");
  });

  it("lists every failed check at once", () => {
    const everything: RevocationEvidence = {
      sendBlock: undefined,
      openJourneys: [{ journeyId: "welcome-series", stepId: "answer", status: "waiting" }],
      sentAfter: [{ messageId: "msg-promo", sentAt: "2026-11-24T10:01:00.000Z" }],
    };
    const unconfirmed = { ...clock, confirmedAt: undefined, confirmationMessageId: undefined };
    const verdict = judgeRevocation(unconfirmed, everything, at("2026-11-24T10:06:00.000Z"), 5);
    expect(verdict.status === "breached" && verdict.failures.map((f) => f.check)).toEqual([
      "confirmation_sent",
      "suppressed",
      "journeys_ended",
      "no_send_after",
    ]);
  });
});
