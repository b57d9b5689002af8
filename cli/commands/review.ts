/**
 * `smsctl review list|accept|reject`: the opt-out review queue of the local state directory (the
 * one `smsctl journey` uses). A reply the intent engine doubted waits here, and its number gets no
 * marketing until someone decides: accept opts it out (one confirmation, journeys ended), reject
 * lifts the hold. Each prints JSON lines to stdout.
 */
import type { OptOutReview } from "../../core/ports";
import { acceptReview, type ReviewOutcome, rejectReview } from "../../core/processing/opt-out-review";
import { journeyDefinitions, journeysById } from "../../journeys";
import { fail, registerCommand } from "../args";
import { AT_HELP, LOCAL_RESPONSES, openRuntime, STATE_HELP, type StateOptions } from "./journey";

interface ListOptions extends StateOptions {
  limit: string;
}

/** Pending reviews, oldest first. */
export async function listReviews(options: ListOptions): Promise<OptOutReview[]> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1)
    fail(`--limit must be a positive integer, got "${options.limit}"`);
  const runtime = await openRuntime(options, journeyDefinitions);
  try {
    return await runtime.reviews.list(limit);
  } finally {
    runtime.close();
  }
}

export interface DecisionResult {
  eventId: string;
  status: OptOutReview["status"];
  optedOut: boolean;
  confirmed: boolean;
  journeysEnded: number;
}

/** Accepts or rejects one review; a review someone already decided otherwise keeps that decision. */
export async function decideReview(
  eventId: string,
  decision: "accept" | "reject",
  options: StateOptions,
): Promise<DecisionResult> {
  const runtime = await openRuntime(options, journeyDefinitions);
  try {
    const ports = {
      optOutReviews: runtime.reviews,
      optOuts: runtime.optOuts,
      consentLog: runtime.consentLog,
      revocations: runtime.revocations,
      sender: runtime.sender,
      clock: runtime.clock,
      journeyRouting: {
        journeys: runtime.store,
        subscribers: runtime.subscribers,
        definitions: journeysById,
      },
    };
    const outcome: ReviewOutcome | undefined =
      decision === "accept"
        ? await acceptReview(eventId, ports, LOCAL_RESPONSES)
        : await rejectReview(eventId, ports);
    if (!outcome) fail(`no review with event id "${eventId}". Run 'smsctl review list' for the pending ones`);
    const { review, optedOut, confirmed, journeysEnded } = outcome;
    return { eventId, status: review.status, optedOut, confirmed, journeysEnded };
  } finally {
    runtime.close();
  }
}

async function decide(eventId: string, decision: "accept" | "reject", options: StateOptions) {
  const result = await decideReview(eventId, decision, options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const wanted = decision === "accept" ? "accepted" : "rejected";
  if (result.status !== wanted) {
    process.stderr.write(`smsctl: review ${eventId} was already ${result.status}; that decision stands\n`);
    process.exitCode = 1;
  }
}

registerCommand((program) => {
  const review = program
    .command("review")
    .description("decide replies held for opt-out review (their numbers get no marketing until then)");
  review
    .command("list")
    .description("print the pending reviews, oldest first, one JSON line each")
    .option("--state <dir>", STATE_HELP)
    .option("--limit <n>", "at most this many", "100")
    .action(async (options: ListOptions) => {
      for (const pending of await listReviews(options)) process.stdout.write(`${JSON.stringify(pending)}\n`);
    });
  review
    .command("accept")
    .description("the reply revoked consent: opt the number out, confirm once, end its journeys")
    .argument("<event-id>", "the reply's event id, from 'smsctl review list'")
    .option("--state <dir>", STATE_HELP)
    .option("--at <iso>", AT_HELP)
    .action((eventId: string, options: StateOptions) => decide(eventId, "accept", options));
  review
    .command("reject")
    .description("the reply did not revoke consent: lift the hold on the number")
    .argument("<event-id>", "the reply's event id, from 'smsctl review list'")
    .option("--state <dir>", STATE_HELP)
    .option("--at <iso>", AT_HELP)
    .action((eventId: string, options: StateOptions) => decide(eventId, "reject", options));
});
