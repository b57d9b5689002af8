import { describe, expect, it } from "vitest";
import { acceptReview, rejectReview } from "../../../core/processing/opt-out-review";
import { classifyReplyIntent } from "../../../core/processing/reply-intent";
import { processReplies, type ResponsesSettings } from "../../../core/processing/responses";
import { REPLY_BODIES } from "../../../providers/local/carrier/fate";
import { reply } from "./events";
import { ana, anaWaitingOnYes } from "./waiting-on-yes";

const settings: ResponsesSettings = {
  helpText: "help",
  stopConfirmationText: "You are unsubscribed.",
  patterns: [],
};

const setup = anaWaitingOnYes;

const fromAna = (body: string) => reply(body, { phoneNumber: ana.phoneNumber });

describe("the responses consumer decides opt-outs by intent", () => {
  it("opts out a free-text revocation exactly as STOP: suppressed, confirmed once, journeys ended", async () => {
    const { ports, consumerPorts } = await setup();
    const revocation = fromAna("please don't text me");
    const outcome = await processReplies([revocation], consumerPorts, settings);
    await processReplies([revocation, fromAna("seriously, stop texting me")], consumerPorts, settings);

    expect(outcome).toMatchObject({ optedOut: 1, answers: 1, journeysMoved: 1, heldForReview: 0 });
    expect(await ports.optOuts.isOptedOut(ana.phoneNumber)).toBe(true);
    expect(ports.sender.to(ana.phoneNumber).map((r) => r.body)).toEqual([settings.stopConfirmationText]);
    expect(await ports.journeys.get("welcome-series", "ana")).toMatchObject({ status: "done" });
    expect(await ports.responses.get(revocation.eventId)).toMatchObject({
      category: "stop",
      opt_out_confidence: 0.96,
      opt_out_decision: "opt_out",
      opt_out_rule: "phrase.en.dont-text",
    });
  });

  it("does not opt out a reply whose first word is STOP but whose meaning is not", async () => {
    const { ports, consumerPorts } = await setup();
    const errand = fromAna("stop by the store later?");
    const outcome = await processReplies([errand], consumerPorts, settings);
    expect(outcome).toMatchObject({ optedOut: 0, answers: 0, journeysMoved: 0 });
    expect(await ports.optOuts.isOptedOut(ana.phoneNumber)).toBe(false);
    expect(await ports.journeys.get("welcome-series", "ana")).toMatchObject({ status: "waiting" });
    const stored = await ports.responses.get(errand.eventId);
    expect(stored).toMatchObject({
      category: "free_text",
      opt_out_decision: "none",
      opt_out_rule: "neg.en.stop-by",
    });
    expect(stored).not.toHaveProperty("keyword");
  });

  it("keeps carrier semantics for an exact keyword: a bare STOP has confidence 1", async () => {
    const { ports, consumerPorts } = await setup();
    const stop = fromAna("STOP");
    await processReplies([stop], consumerPorts, settings);
    expect(await ports.responses.get(stop.eventId)).toMatchObject({
      category: "stop",
      keyword: "STOP",
      opt_out_confidence: 1,
      opt_out_rule: "keyword.carrier",
    });
    expect(await ports.optOuts.isOptedOut(ana.phoneNumber)).toBe(true);
  });

  it("puts a doubtful reply in the review queue once, holding the number without opting it out", async () => {
    const { ports, consumerPorts } = await setup();
    const doubtful = fromAna("who is this?");
    const outcome = await processReplies([doubtful], consumerPorts, settings);
    await processReplies([doubtful], consumerPorts, settings);

    expect(outcome).toMatchObject({ heldForReview: 1, optedOut: 0, answers: 0 });
    expect(await ports.optOuts.isOptedOut(ana.phoneNumber)).toBe(false);
    expect(await ports.optOutReviews.isHeld(ana.phoneNumber)).toBe(true);
    expect(await ports.optOutReviews.list(10)).toEqual([
      {
        eventId: doubtful.eventId,
        phoneNumber: ana.phoneNumber,
        text: "who is this?",
        receivedAt: doubtful.occurredAt,
        optOutConfidence: 0.7,
        rule: "phrase.en.wrong-number",
        status: "pending",
      },
    ]);
    expect(await ports.responses.get(doubtful.eventId)).toMatchObject({
      category: "free_text",
      opt_out_decision: "review",
    });
    expect(ports.sender.requests).toEqual([]);
  });

  it("fails closed without a review queue: a doubtful reply opts the number out", async () => {
    const { ports } = await setup();
    const { optOutReviews: _none, ...withoutQueue } = ports;
    await processReplies([fromAna("who is this?")], withoutQueue, settings);
    expect(await ports.optOuts.isOptedOut(ana.phoneNumber)).toBe(true);
    expect(ports.sender.to(ana.phoneNumber).map((r) => r.body)).toEqual([settings.stopConfirmationText]);
  });

  it("applies the configured thresholds", async () => {
    const { ports, consumerPorts } = await setup();
    const strict = { ...settings, optOutThresholds: { optOut: 0.65, review: 0.5 } };
    await processReplies([fromAna("who is this?")], consumerPorts, strict);
    expect(await ports.optOuts.isOptedOut(ana.phoneNumber)).toBe(true);
    expect(await ports.optOutReviews.list(10)).toEqual([]);
  });
});

describe("reviewing a held reply", () => {
  it("accepting opts the number out, confirms once under the reply's key and ends its journeys", async () => {
    const { ports, consumerPorts } = await setup();
    const doubtful = fromAna("not interested");
    await processReplies([doubtful], consumerPorts, settings);
    ports.clock.advance(3_600_000);

    const accepted = await acceptReview(doubtful.eventId, consumerPorts, settings);
    const retried = await acceptReview(doubtful.eventId, consumerPorts, settings);

    expect(accepted).toMatchObject({ optedOut: true, confirmed: true, journeysEnded: 1 });
    expect(accepted?.review).toMatchObject({ status: "accepted", decidedAt: "2026-11-24T11:00:00.000Z" });
    expect(retried).toMatchObject({ review: { status: "accepted" }, optedOut: false, confirmed: false });
    expect(await ports.optOuts.isOptedOut(ana.phoneNumber)).toBe(true);
    expect(await ports.optOutReviews.isHeld(ana.phoneNumber)).toBe(false);
    expect(ports.sender.delivered.map((r) => [r.body, r.idempotencyKey])).toEqual([
      [settings.stopConfirmationText, `${doubtful.eventId}:stop-confirmation`],
    ]);
    expect(await ports.journeys.get("welcome-series", "ana")).toMatchObject({ status: "done" });
  });

  it("rejecting lifts the hold and opts nothing out; a later accept cannot undo it", async () => {
    const { ports, consumerPorts } = await setup();
    const doubtful = fromAna("wrong number");
    await processReplies([doubtful], consumerPorts, settings);

    expect(await rejectReview(doubtful.eventId, ports)).toMatchObject({ review: { status: "rejected" } });
    expect(await ports.optOutReviews.isHeld(ana.phoneNumber)).toBe(false);
    expect(await acceptReview(doubtful.eventId, consumerPorts, settings)).toMatchObject({
      review: { status: "rejected" },
      optedOut: false,
    });
    expect(await ports.optOuts.isOptedOut(ana.phoneNumber)).toBe(false);
    expect(ports.sender.requests).toEqual([]);
  });

  it("answers undefined for a reply that was never held", async () => {
    const { ports, consumerPorts } = await setup();
    expect(await acceptReview("nope", consumerPorts, settings)).toBeUndefined();
    expect(await rejectReview("nope", ports)).toBeUndefined();
  });
});

describe("the simulated carrier's replies", () => {
  it("opt out only as STOP and never land in review, so the seeded run's opt-outs are its STOPs", () => {
    for (const [kind, bodies] of Object.entries(REPLY_BODIES)) {
      for (const body of bodies) {
        const expected = kind === "stop" ? "opt_out" : "none";
        expect([body, classifyReplyIntent(body).optOut.decision]).toEqual([body, expected]);
      }
    }
  });
});
