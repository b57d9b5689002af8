/**
 * `smsctl review list|accept|reject --outputs FILE` against one cloud's emulators, as an operator
 * runs it on a deployed stack: the stores are made under deployed-style names, the outputs file
 * names them, and the command (in this process, its connector aimed at the emulators as the erase
 * and compliance stack tests do) must find the held reply through those names alone. The sender is
 * a RecordingSender: no carrier has an emulator here; the connector's own sender (End User
 * Messaging, Communication Services, Twilio) is what a deployed stack gets instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { type DecisionResult, decide, listReviews } from "../../cli/commands/review";
import { sendBlockOf } from "../../core/campaign/dispatch";
import type {
  ConsentLog,
  JourneyStore,
  OptOutReview,
  OptOutReviewStore,
  OptOutStore,
  RevocationClockStore,
  SmsSender,
  SubscriberDirectory,
} from "../../core/ports";
import type { ReviewStack } from "../../core/processing/review-outputs";
import { uniqueId, uniquePhone } from "../contracts/support";
import { RecordingSender } from "./recording-sender";

export const STOP_TEXT = "You are unsubscribed from review-stack tests. Reply START to resubscribe.";

/** The review stores' names as a deployment names them, made unique by the emulator's `uniqueName`. */
export const reviewStoreNames = (uniqueName: (prefix: string) => string) => ({
  optOutReviews: uniqueName("sms-opt-out-reviews"),
  optOuts: uniqueName("sms-opt-outs"),
  journeys: uniqueName("sms-journeys"),
  subscribers: uniqueName("sms-subscribers"),
  campaigns: uniqueName("sms-campaigns"),
  consentLog: uniqueName("sms-consent-log"),
  revocations: uniqueName("sms-revocation-clocks"),
});

export interface ReviewStackFixture {
  /** What `pulumi stack output --json` would print for that stack (its replySender's text is STOP_TEXT). */
  outputs: Record<string, unknown>;
  /** The cloud's connector aimed at the emulators, with `sender` in place of the stack's carrier. */
  connect: (outputs: Record<string, unknown>, sender: SmsSender) => ReviewStack;
  /** The stack's stores under the names in `outputs`, to seed and read behind the command. */
  stores: {
    optOutReviews: OptOutReviewStore;
    optOuts: OptOutStore;
    journeys: JourneyStore;
    subscribers: SubscriberDirectory;
    consentLog: ConsentLog;
    revocations: RevocationClockStore;
  };
}

/** Runs `fn` with stdout and stderr captured; returns what it printed on stdout. */
async function stdoutOf(fn: () => Promise<unknown>): Promise<string> {
  const out: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    await fn();
  } finally {
    vi.mocked(process.stdout.write).mockRestore();
    vi.mocked(process.stderr.write).mockRestore();
  }
  return out.join("");
}

/** A subscriber in the Welcome Series, waiting for a YES, whose doubtful reply is held for review. */
async function heldSubscriber(stores: ReviewStackFixture["stores"]) {
  const phone = uniquePhone();
  const subscriberId = uniqueId("sub");
  const eventId = uniqueId("reply");
  await stores.subscribers.upsert({ subscriberId, phoneNumber: phone, attributes: {} });
  await stores.journeys.put(
    {
      journeyId: "welcome-series",
      subscriberId,
      phoneNumber: phone,
      stepId: "wait-yes",
      status: "waiting",
      wakeAt: "2026-06-17T18:00:00.000Z",
      version: 1,
      updatedAt: "2026-06-16T18:00:00.000Z",
    },
    0,
  );
  await stores.optOutReviews.put({
    eventId,
    phoneNumber: phone,
    text: "please leave me alone",
    receivedAt: "2026-06-16T18:05:00.000Z",
    optOutConfidence: 0.7,
    rule: "phrase.en.leave-alone",
    subscriberId,
  });
  return { phone, subscriberId, eventId };
}

export function reviewStackSuite(
  name: string,
  make: () => Promise<ReviewStackFixture>,
  { full }: { full: boolean },
): void {
  describe(`smsctl review --outputs: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "smsctl-review-stack-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    afterEach(() => {
      process.exitCode = undefined;
    });

    async function stackFor() {
      const fixture = await make();
      const sender = new RecordingSender();
      const file = join(dir, `${uniqueId("outputs")}.json`);
      writeFileSync(file, JSON.stringify(fixture.outputs));
      const connect = (outputs: Record<string, unknown>) => fixture.connect(outputs, sender);
      const options = { outputs: file };
      const run = async (eventId: string, decision: "accept" | "reject") =>
        JSON.parse(await stdoutOf(() => decide(eventId, decision, options, connect))) as DecisionResult;
      const dispatchBlock = (phone: string) =>
        sendBlockOf({ optOuts: fixture.stores.optOuts, reviews: fixture.stores.optOutReviews }, phone);
      return { ...fixture, sender, options, connect, run, dispatchBlock };
    }

    it("lists the held reply, and accept opts the number out, confirms once, ends its journeys; a second accept changes nothing", async () => {
      const stack = await stackFor();
      const ana = await heldSubscriber(stack.stores);
      expect(await stack.dispatchBlock(ana.phone)).toBe("pending_review");

      const pending: OptOutReview[] = await listReviews({ ...stack.options, limit: "1000" }, stack.connect);
      expect(pending.find((review) => review.eventId === ana.eventId)).toMatchObject({
        phoneNumber: ana.phone,
        text: "please leave me alone",
        rule: "phrase.en.leave-alone",
        status: "pending",
      });

      const accepted = await stack.run(ana.eventId, "accept");
      expect(accepted).toEqual({
        eventId: ana.eventId,
        status: "accepted",
        optedOut: true,
        confirmed: true,
        journeysEnded: 1,
      });
      expect(process.exitCode).toBeUndefined();
      expect(stack.sender.requests).toHaveLength(1);
      expect(stack.sender.requests[0]).toMatchObject({ to: ana.phone, body: STOP_TEXT });
      expect(await stack.stores.optOuts.isOptedOut(ana.phone)).toBe(true);
      expect(await stack.dispatchBlock(ana.phone)).toBe("opted_out");
      expect(await stack.stores.optOutReviews.isHeld(ana.phone)).toBe(false);
      expect((await stack.stores.journeys.get("welcome-series", ana.subscriberId))?.status).toBe("done");
      expect(await stack.stores.journeys.bySubscriber(ana.subscriberId)).toEqual([]);
      expect(
        (await stack.stores.consentLog.entriesFor(ana.phone)).map((entry) => [entry.action, entry.source]),
      ).toEqual([["opt_out", "review_accept"]]);
      const clock = (await stack.stores.revocations.list()).find((c) => c.eventId === ana.eventId);
      expect(clock).toMatchObject({ source: "review_accept", confirmationExpected: true });
      expect(clock?.confirmedAt).toEqual(expect.any(String));
      const listed = await listReviews({ ...stack.options, limit: "1000" }, stack.connect);
      expect(listed.map((review) => review.eventId)).not.toContain(ana.eventId);

      // An operator who runs it again (or a retry) sends nothing more.
      const again = await stack.run(ana.eventId, "accept");
      expect(again).toMatchObject({
        status: "accepted",
        optedOut: false,
        confirmed: false,
        journeysEnded: 0,
      });
      expect(stack.sender.requests).toHaveLength(1);
      expect(await stack.stores.consentLog.entriesFor(ana.phone)).toHaveLength(1);
    }, 120_000);

    it.runIf(full)(
      "reject lifts the hold, so dispatch would send to the number, sends nothing and opts nobody out; the decision stands",
      async () => {
        const stack = await stackFor();
        const ben = await heldSubscriber(stack.stores);
        expect(await stack.dispatchBlock(ben.phone)).toBe("pending_review");

        expect(await stack.run(ben.eventId, "reject")).toEqual({
          eventId: ben.eventId,
          status: "rejected",
          optedOut: false,
          confirmed: false,
          journeysEnded: 0,
        });
        expect(await stack.dispatchBlock(ben.phone)).toBeUndefined();
        expect(await stack.stores.optOuts.isOptedOut(ben.phone)).toBe(false);
        expect((await stack.stores.journeys.get("welcome-series", ben.subscriberId))?.status).toBe("waiting");
        expect(stack.sender.requests).toEqual([]);

        // Accepting it afterwards keeps the rejection: exit 1, and still nothing sent.
        expect(await stack.run(ben.eventId, "accept")).toMatchObject({ status: "rejected", optedOut: false });
        expect(process.exitCode).toBe(1);
        expect(stack.sender.requests).toEqual([]);
        expect(await stack.dispatchBlock(ben.phone)).toBeUndefined();
      },
      120_000,
    );
  });
}
