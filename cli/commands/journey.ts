/**
 * `smsctl journey enroll|tick|reply`: run the journey engine on one machine. Journey states, the
 * send ledger, the enrolled subscribers and a log of every message sent live as JSON lines in
 * --state DIR (default .sms-local/journeys/), so each command picks up where the last one left off.
 * Opt-outs and their consent evidence live there too, and every reply goes through the responses consumer's own path
 * (classification, opt-out, STOP/HELP answers) before it reaches the journeys, so a STOP given to
 * `journey reply` holds for every later `tick`. Each prints ONE JSON object of counts to stdout.
 */
import { createReadStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  AudienceError,
  Budget,
  createJourneyEngine,
  createPacer,
  enrollChunk,
  type JourneyEngine,
  normalizePhoneNumber,
  readAudienceCsv,
} from "../../core/campaign";
import type { Journey } from "../../core/campaign/journey";
import { DEFAULT_HELP_TEXT, DEFAULT_STOP_CONFIRMATION_TEXT } from "../../core/config";
import type { SmsEvent } from "../../core/events/schema";
import type { Clock, ErasureGuard, SendRequest, SendResult, SmsSender } from "../../core/ports";
import { erasureGuardOf, suppressErased } from "../../core/processing/erasure-guard";
import { processReplies, type RepliesOutcome } from "../../core/processing/responses";
import { journeyDefinitions, journeysById } from "../../journeys";
import { AlwaysAcceptSender } from "../../providers/local/runtime/always-accept-sender";
import { JsonlConsentLog } from "../../providers/local/runtime/jsonl-consent-log";
import { JsonlJourneyStore } from "../../providers/local/runtime/jsonl-journey-store";
import { JsonlOptOutReviewStore } from "../../providers/local/runtime/jsonl-opt-out-reviews";
import { JsonlOptOutStore } from "../../providers/local/runtime/jsonl-opt-out-store";
import { JsonlRevocationClockStore } from "../../providers/local/runtime/jsonl-revocation-clocks";
import { JsonlSendLedger } from "../../providers/local/runtime/jsonl-send-ledger";
import { JsonlSubscriberDirectory } from "../../providers/local/runtime/jsonl-subscriber-directory";
import { JsonlErasureTombstones } from "../../providers/local/runtime/jsonl-tombstones";
import {
  MemoryEventPublisher,
  MemoryMessageLog,
  MemoryNotifier,
  MemoryResponsesStore,
  SystemClock,
} from "../../providers/local/runtime/memory";
import { fail, registerCommand, requireFile } from "../args";
import {
  CONSENT_LOG_FILE,
  DEFAULT_JOURNEY_STATE_DIR,
  localPhoneHashSalt,
  REVOCATION_CLOCKS_FILE,
  STATE_FILES,
} from "../local-state";
import { OutboxSender } from "../outbox";
import { ShiftedClock } from "../shifted-clock";

export const DEFAULT_STATE_DIR = DEFAULT_JOURNEY_STATE_DIR;
/** The local sender accepts everything; pacing only keeps a large enrolment from bursting. */
const LOCAL_MPS = 100;

export interface StateOptions {
  state?: string;
  at?: string;
}

/** Counts what a command sent; the outbox (DIR/sends.jsonl) records each message. */
class CountingSender implements SmsSender {
  sent = 0;

  constructor(private readonly inner: SmsSender) {}

  async send(request: SendRequest): Promise<SendResult> {
    const result = await this.inner.send(request);
    if (result.status === "sent") this.sent++;
    return result;
  }
}

function clockOf(at: string | undefined): Clock {
  if (at === undefined) return new SystemClock();
  const start = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(start.getTime())) {
    fail(`--at must be an ISO-8601 date-time like 2026-06-15T16:00:00Z, got "${at}"`);
  }
  return new ShiftedClock(start);
}

function definitionsFor(journeyId: string | undefined): Journey[] {
  if (journeyId === undefined) return journeyDefinitions;
  const definition = journeysById.get(journeyId);
  if (!definition) fail(`unknown journey "${journeyId}"; known: ${[...journeysById.keys()].join(", ")}`);
  return [definition];
}

function requireLocalProvider(provider: string): void {
  if (provider !== "local") fail("only --provider local is supported by journey commands for now");
}

export interface Runtime {
  engine: JourneyEngine;
  store: JsonlJourneyStore;
  sender: CountingSender;
  optOuts: JsonlOptOutStore;
  /** Replies waiting for a person to decide whether they opted out; their numbers get nothing meanwhile. */
  reviews: JsonlOptOutReviewStore;
  /** Evidence of every opt-in and opt-out a reply causes (read by `smsctl consent`). */
  consentLog: JsonlConsentLog;
  /** Every opt-out's revocation SLA clock (judged by `smsctl compliance report`). */
  revocations: JsonlRevocationClockStore;
  /** Subscribers enrolled so far, kept so replies and later steps find their number and attributes. */
  subscribers: JsonlSubscriberDirectory;
  /** Numbers `smsctl erase` removed: treated as opted out, skipped on enrollment, their replies dropped. */
  erasures: ErasureGuard;
  clock: Clock;
  close(): void;
}

export async function openRuntime(options: StateOptions, definitions: Journey[]): Promise<Runtime> {
  const clock = clockOf(options.at);
  const stateDir = options.state ?? DEFAULT_STATE_DIR;
  mkdirSync(stateDir, { recursive: true });
  const store = await JsonlJourneyStore.open(join(stateDir, STATE_FILES.journeys));
  const ledger = new JsonlSendLedger(join(stateDir, STATE_FILES.ledger));
  const subscribers = new JsonlSubscriberDirectory(join(stateDir, STATE_FILES.subscribers));
  const sender = new CountingSender(
    new OutboxSender(new AlwaysAcceptSender(), join(stateDir, STATE_FILES.sends), clock),
  );
  const optOuts = await JsonlOptOutStore.open(join(stateDir, STATE_FILES.optOuts));
  const reviews = await JsonlOptOutReviewStore.open(join(stateDir, STATE_FILES.optOutReviews));
  const consentLog = await JsonlConsentLog.open(join(stateDir, CONSENT_LOG_FILE));
  const revocations = await JsonlRevocationClockStore.open(join(stateDir, REVOCATION_CLOCKS_FILE));
  const tombstones = new JsonlErasureTombstones(join(stateDir, STATE_FILES.erasures));
  const erasures = erasureGuardOf(tombstones, localPhoneHashSalt());
  const engine = createJourneyEngine(definitions, {
    sender,
    provider: "local",
    ledger,
    optOuts: suppressErased(optOuts, erasures),
    reviews,
    publisher: new MemoryEventPublisher(),
    clock,
    pacer: createPacer(LOCAL_MPS, clock),
    budget: new Budget(undefined),
    journeys: store,
    subscribers,
  });
  return {
    engine,
    store,
    sender,
    optOuts,
    reviews,
    consentLog,
    revocations,
    subscribers,
    erasures,
    clock,
    close() {
      store.close();
      ledger.close();
      optOuts.close();
      reviews.close();
      consentLog.close();
      revocations.close();
      subscribers.close();
    },
  };
}

interface EnrollOptions extends StateOptions {
  journey: string;
  subscribers: string;
  defaultCountry: string;
}

export interface EnrollCounts {
  journey: string;
  enrolled: number;
  alreadyEnrolled: number;
  skippedRows: number;
  sent: number;
}

/** Enrolls every valid row of the CSV; bad rows are reported on stderr with their line. */
export async function enrollFromCsv(options: EnrollOptions): Promise<EnrollCounts> {
  const definitions = definitionsFor(options.journey);
  const csvPath = await requireFile(options.subscribers, "subscribers file");
  const runtime = await openRuntime(options, definitions);
  try {
    const enrolled = await enrollChunk(
      readAudienceCsv(createReadStream(csvPath), { defaultCountry: options.defaultCountry }),
      { journeyId: options.journey, source: csvPath },
      {
        engine: runtime.engine,
        journeys: runtime.store,
        subscribers: runtime.subscribers,
        deadLetter: {
          send: async (entry) => {
            process.stderr.write(`smsctl: ${csvPath} ${entry.reason}\n`);
          },
        },
        now: () => runtime.clock.now(),
        erasures: runtime.erasures,
      },
    );
    return {
      journey: options.journey,
      enrolled: enrolled.enrolled,
      alreadyEnrolled: enrolled.alreadyEnrolled,
      skippedRows: enrolled.deadLettered,
      sent: runtime.sender.sent,
    };
  } catch (error) {
    if (error instanceof AudienceError) fail(error.message);
    throw error;
  } finally {
    runtime.close();
  }
}

async function enroll(options: EnrollOptions): Promise<void> {
  const counts = await enrollFromCsv(options);
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  if (counts.skippedRows > 0) process.exitCode = 1;
}

interface TickOptions extends StateOptions {
  journey?: string;
  provider: string;
}

/** Advances every due journey once. */
export async function tickOnce(options: TickOptions): Promise<{ advanced: number; sent: number }> {
  requireLocalProvider(options.provider);
  const runtime = await openRuntime(options, definitionsFor(options.journey));
  try {
    const advanced = await runtime.engine.tickJourneys(runtime.clock.now());
    return { advanced, sent: runtime.sender.sent };
  } finally {
    runtime.close();
  }
}

async function tick(options: TickOptions): Promise<void> {
  process.stdout.write(`${JSON.stringify(await tickOnce(options))}\n`);
}

interface ReplyOptions extends StateOptions {
  from: string;
  body: string;
  defaultCountry: string;
}

export interface ReplyResult {
  category: string;
  /** Journeys the reply moved: a branch taken, or every open journey ended by a STOP. */
  advanced: number;
  optedOut: number;
  /** 1 when the reply went to the opt-out review queue (`smsctl review list`): its number gets nothing until decided. */
  heldForReview: number;
  /** Messages sent by this reply: STOP/HELP answers and the steps it led to. */
  sent: number;
  /** True when no enrolled subscriber has this number. */
  unknownNumber: boolean;
}

/** The answers the deployed responses consumer gives by default. */
export const LOCAL_RESPONSES = {
  helpText: DEFAULT_HELP_TEXT,
  stopConfirmationText: DEFAULT_STOP_CONFIRMATION_TEXT,
  patterns: [],
};

/**
 * One inbound reply, handled as the responses consumer handles it (opt-out intent, review queue,
 * STOP/HELP answers), then routed to the journeys with the consumer's own opt-out decision.
 */
export async function replyOnce(options: ReplyOptions): Promise<ReplyResult> {
  const phone = normalizePhoneNumber(options.from, options.defaultCountry);
  if (!phone) fail(`--from must be a phone number like +12125550101, got "${options.from}"`);
  const runtime = await openRuntime(options, journeyDefinitions);
  try {
    const occurredAt = runtime.clock.now().toISOString();
    const event: SmsEvent = {
      eventId: `cli-reply-${phone.e164}-${occurredAt}`,
      schemaVersion: 1,
      kind: "received",
      occurredAt,
      provider: "local",
      phoneNumber: phone.e164,
      body: options.body,
    };
    const responses = new MemoryResponsesStore();
    const handled: RepliesOutcome = await processReplies(
      [event],
      {
        responses,
        optOuts: runtime.optOuts,
        optOutReviews: runtime.reviews,
        consentLog: runtime.consentLog,
        revocations: runtime.revocations,
        erasures: runtime.erasures,
        sender: runtime.sender,
        notifier: new MemoryNotifier(),
        messages: new MemoryMessageLog(),
        clock: runtime.clock,
      },
      LOCAL_RESPONSES,
    );
    const category = (await responses.get(event.eventId))?.category ?? "free_text";
    const advanced = await runtime.engine.onReply(event, { isOptOut: category === "stop" });
    return {
      category,
      advanced,
      optedOut: handled.optedOut,
      heldForReview: handled.heldForReview,
      sent: runtime.sender.sent,
      unknownNumber: (await runtime.subscribers.findByPhone(phone.e164)) === undefined,
    };
  } finally {
    runtime.close();
  }
}

async function reply(options: ReplyOptions): Promise<void> {
  const { unknownNumber, ...result } = await replyOnce(options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (unknownNumber) {
    const recorded =
      result.optedOut > 0
        ? "; its opt-out is recorded"
        : result.heldForReview > 0
          ? "; it waits in the review queue"
          : "";
    process.stderr.write(
      `smsctl: ${options.from} matched no enrolled subscriber, so no journey moved${recorded}\n`,
    );
    if (recorded === "") process.exitCode = 1;
  }
}

export const STATE_HELP = `where journey state lives (default ${DEFAULT_STATE_DIR}/)`;
export const AT_HELP = "act as if it were this moment (ISO-8601); default now";

registerCommand((program) => {
  const journey = program.command("journey").description("run multi-step journeys on this machine");
  journey
    .command("enroll")
    .description("enroll every valid subscriber of a CSV and run the first step")
    .requiredOption("--journey <id>", `journey id: ${[...journeysById.keys()].join(", ")}`)
    .requiredOption("--subscribers <file>", "subscriber CSV: subscriber_id, phone_number, optional time_zone")
    .option("--state <dir>", STATE_HELP)
    .option("--at <iso>", AT_HELP)
    .option("--default-country <cc>", "country for numbers written without +", "US")
    .action((options: EnrollOptions) => enroll(options));
  journey
    .command("tick")
    .description("advance every due journey: send due steps, end waits, time out branches")
    .option("--journey <id>", "only this journey")
    .option("--state <dir>", STATE_HELP)
    .option("--at <iso>", AT_HELP)
    .option("--provider <name>", "sender to use (only local for now)", "local")
    .action((options: TickOptions) => tick(options));
  journey
    .command("reply")
    .description("feed one inbound reply to the journeys waiting on it")
    .requiredOption("--from <number>", "the replying phone number, E.164")
    .requiredOption("--body <text>", "the reply text, e.g. YES")
    .option("--state <dir>", STATE_HELP)
    .option("--at <iso>", AT_HELP)
    .option("--default-country <cc>", "country for numbers written without +", "US")
    .action((options: ReplyOptions) => reply(options));
});
