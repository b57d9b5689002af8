/**
 * `smsctl review list|accept|reject`: the opt-out review queue, of the local state directory (the
 * one `smsctl journey` uses) or, with --stack NAME / --outputs FILE, of a deployed AWS, Azure or GCP
 * stack (its `cloud` output picks the connector, as for every stack command; the cloud's default
 * credentials). A reply the intent engine doubted waits here, and its number gets no marketing
 * until someone decides: accept opts it out (one confirmation through the stack's own sender,
 * journeys ended), reject lifts the hold. Each prints JSON lines to stdout.
 */
import type { Clock, OptOutReview } from "../../core/ports";
import { acceptReview, type ReviewOutcome, rejectReview } from "../../core/processing/opt-out-review";
import type { ReviewStack } from "../../core/processing/review-outputs";
import { journeyDefinitions, journeysById } from "../../journeys";
import { SystemClock } from "../../providers/local/runtime/memory";
import { fail, registerCommand } from "../args";
import { forCloudOf, type PerCloud, type StackOptions, stackOutputs, withStackOptions } from "../stack";
import { AT_HELP, LOCAL_RESPONSES, openRuntime, STATE_HELP, type StateOptions } from "./journey";

export interface ReviewOptions extends StateOptions, StackOptions {}

interface ListOptions extends ReviewOptions {
  limit: string;
}

/** A cloud's review connector: the stack's review queue, stores and sender under the names its outputs give. */
export type ConnectReview = (outputs: Record<string, unknown>) => ReviewStack | Promise<ReviewStack>;

/** Each cloud's review connector, picked by the outputs' `cloud` as every stack command picks it. */
const REVIEW_CONNECTORS: PerCloud<ConnectReview> = {
  aws: async () => (await import("../../providers/aws/runtime/review-stack")).connectAwsReview,
  azure: async () => (await import("../../providers/azure/runtime/review-stack")).connectAzureReview,
  gcp: async () => (await import("../../providers/gcp/runtime/review-stack")).connectGcpReview,
};

export const connectReview = async (outputs: Record<string, unknown>): Promise<ReviewStack> =>
  (await forCloudOf(outputs, REVIEW_CONNECTORS))(outputs);

interface OpenReviews {
  stack: ReviewStack;
  clock: Clock;
  local: boolean;
}

const deployed = (options: StackOptions) => options.stack !== undefined || options.outputs !== undefined;

/** The local state directory's queue and stores, decided with LOCAL_RESPONSES as `journey reply` answers. */
async function localReviews(options: StateOptions): Promise<OpenReviews> {
  const runtime = await openRuntime(options, journeyDefinitions);
  return {
    local: true,
    clock: runtime.clock,
    stack: {
      describe: () => "the local state",
      ports: {
        optOutReviews: runtime.reviews,
        optOuts: runtime.optOuts,
        consentLog: runtime.consentLog,
        revocations: runtime.revocations,
        sender: runtime.sender,
        journeyRouting: {
          journeys: runtime.store,
          subscribers: runtime.subscribers,
          definitions: journeysById,
        },
      },
      settings: LOCAL_RESPONSES,
      close: async () => runtime.close(),
    },
  };
}

/** The deployed stack the outputs describe; an output missing or invalid is one line, exit 2. */
async function stackReviews(options: ReviewOptions, connect: ConnectReview): Promise<OpenReviews> {
  if (options.state !== undefined || options.at !== undefined) {
    fail("--state and --at are for the local form; drop them with --stack or --outputs");
  }
  const outputs = await stackOutputs(options);
  try {
    return { local: false, clock: new SystemClock(), stack: await connect(outputs) };
  } catch (error) {
    fail((error as Error).message);
  }
}

const openReviews = (options: ReviewOptions, connect: ConnectReview) =>
  deployed(options) ? stackReviews(options, connect) : localReviews(options);

/** Pending reviews, oldest first. `connect` is connectReview; tests pass one aimed at the emulators. */
export async function listReviews(
  options: ListOptions,
  connect: ConnectReview = connectReview,
): Promise<OptOutReview[]> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1)
    fail(`--limit must be a positive integer, got "${options.limit}"`);
  const { stack } = await openReviews(options, connect);
  try {
    return await stack.ports.optOutReviews.list(limit);
  } finally {
    await stack.close?.();
  }
}

export interface DecisionResult {
  eventId: string;
  status: OptOutReview["status"];
  optedOut: boolean;
  confirmed: boolean;
  journeysEnded: number;
}

function unknownReview(eventId: string, opened: OpenReviews): never {
  fail(
    opened.local
      ? `no review with event id "${eventId}". Run 'smsctl review list' for the pending ones`
      : `no review with event id "${eventId}" in ${opened.stack.describe()}. Run 'smsctl review list' with the same --stack/--outputs for the pending ones`,
  );
}

/**
 * Accepts or rejects one review with the core's own acceptReview / rejectReview; a review someone
 * already decided otherwise keeps that decision. `connect` is connectReview; tests pass one aimed
 * at the emulators.
 */
export async function decideReview(
  eventId: string,
  decision: "accept" | "reject",
  options: ReviewOptions,
  connect: ConnectReview = connectReview,
): Promise<DecisionResult> {
  const opened = await openReviews(options, connect);
  const { stack, clock } = opened;
  try {
    const ports = { ...stack.ports, clock };
    let outcome: ReviewOutcome | undefined;
    if (decision === "accept") {
      // An unknown id writes nothing, and a sender that cannot be built fails before the opt-out.
      if (!(await ports.optOutReviews.get(eventId))) unknownReview(eventId, opened);
      await stack.readySender?.();
      outcome = await acceptReview(eventId, ports, stack.settings);
    } else {
      outcome = await rejectReview(eventId, ports);
    }
    if (!outcome) unknownReview(eventId, opened);
    const { review, optedOut, confirmed, journeysEnded } = outcome;
    return { eventId, status: review.status, optedOut, confirmed, journeysEnded };
  } finally {
    await stack.close?.();
  }
}

/** Prints the decision (stdout); exit 1 when the review was already decided the other way. */
export async function decide(
  eventId: string,
  decision: "accept" | "reject",
  options: ReviewOptions,
  connect: ConnectReview = connectReview,
) {
  const result = await decideReview(eventId, decision, options, connect);
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
    .description(
      "decide replies held for opt-out review (their numbers get no marketing until then), locally or in a deployed stack",
    );
  withStackOptions(review.command("list"))
    .description("print the pending reviews, oldest first, one JSON line each")
    .option("--state <dir>", STATE_HELP)
    .option("--limit <n>", "at most this many", "100")
    .action(async (options: ListOptions) => {
      for (const pending of await listReviews(options)) process.stdout.write(`${JSON.stringify(pending)}\n`);
    });
  withStackOptions(review.command("accept"))
    .description("the reply revoked consent: opt the number out, confirm once, end its journeys")
    .argument("<event-id>", "the reply's event id, from 'smsctl review list'")
    .option("--state <dir>", STATE_HELP)
    .option("--at <iso>", AT_HELP)
    .action((eventId: string, options: ReviewOptions) => decide(eventId, "accept", options));
  withStackOptions(review.command("reject"))
    .description("the reply did not revoke consent: lift the hold on the number")
    .argument("<event-id>", "the reply's event id, from 'smsctl review list'")
    .option("--state <dir>", STATE_HELP)
    .option("--at <iso>", AT_HELP)
    .action((eventId: string, options: ReviewOptions) => decide(eventId, "reject", options));
});
