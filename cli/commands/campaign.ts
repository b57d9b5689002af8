/**
 * `smsctl campaign plan|send`: plan a one-time campaign from a subscriber CSV without sending, or
 * send it through a provider, resumably. Both print ONE JSON object of counts to stdout; bad rows
 * go to stderr by line number. State for `send` is an append-only ledger in --state DIR (default
 * .sms-local/campaigns/<campaign-id>/), so re-running the same command resumes where it stopped.
 */
import { createHash } from "node:crypto";
import { appendFileSync, createReadStream, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import {
  Budget,
  type CampaignReport,
  createPacer,
  DEFAULT_MPS,
  type NumberType,
  planCampaign,
  readAudienceCsv,
  readPhoneNumberCsv,
  runCampaign,
  type Segment,
  SegmentSchema,
  withRetry,
} from "../../core/campaign";
import type { ProviderName } from "../../core/events/schema";
import type { Clock, EventPublisher, StreamRecord } from "../../core/ports";
import { AlwaysAcceptSender } from "../../providers/local/runtime/always-accept-sender";
import { JsonlSendLedger } from "../../providers/local/runtime/jsonl-send-ledger";
import { MemoryOptOutStore, SystemClock } from "../../providers/local/runtime/memory";
import { fail, registerCommand, requireFile } from "../args";
import { issueReporter, orFail, requireKnownPlaceholders } from "../audience-checks";
import { OutboxSender } from "../outbox";
import { ShiftedClock } from "../shifted-clock";
import { connectStack, type StackOptions, stackOutputs } from "../stack";
import { launchCampaign, registerStackCommands } from "./campaign-stack";

const PROVIDERS = ["local", "aws-eum", "aws-pinpoint", "azure-acs", "twilio"] as const;
type CliProvider = (typeof PROVIDERS)[number];
const NUMBER_TYPES = Object.keys(DEFAULT_MPS) as NumberType[];

interface CommonOptions {
  subscribers: string;
  optOuts?: string;
  message?: string;
  template?: string;
  at?: string;
  mps?: string;
  numberType: string;
  budget?: string;
  segment?: string;
  defaultCountry: string;
}

interface SendOptions extends CommonOptions, StackOptions {
  provider: string;
  campaignId?: string;
  state?: string;
  messageType: string;
  concurrency?: string;
  progress: boolean;
  waitForWindow?: boolean;
}

interface Inputs {
  subscribersPath: string;
  template: string;
  at: Date;
  mps: number;
  budgetUsd?: number;
  segment?: Segment;
  optedOut: Set<string>;
  defaultCountry: string;
}

function positiveNumber(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) fail(`${option} must be a positive number, got "${text}"`);
  return value;
}

async function inputsOf(options: CommonOptions): Promise<Inputs> {
  if ((options.message === undefined) === (options.template === undefined)) {
    fail("pass exactly one of --message TEXT or --template FILE");
  }
  const template =
    options.message ?? (await readFile(await requireFile(options.template!, "template"), "utf8")).trimEnd();
  if (template.trim() === "") fail("the message is empty");
  let at = new Date();
  if (options.at !== undefined) {
    at = new Date(options.at);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(options.at) || Number.isNaN(at.getTime())) {
      fail(`--at must be an ISO-8601 date-time like 2026-06-15T16:00:00Z, got "${options.at}"`);
    }
  }
  if (!NUMBER_TYPES.includes(options.numberType as NumberType)) {
    fail(`--number-type must be one of ${NUMBER_TYPES.join(", ")}, got "${options.numberType}"`);
  }
  let segment: Segment | undefined;
  if (options.segment !== undefined) {
    const parsed = SegmentSchema.safeParse(safeJson(options.segment));
    if (!parsed.success) fail(`--segment must be a JSON array of {attribute, op: eq|in|exists, value}`);
    segment = parsed.data;
  }
  const subscribersPath = await requireFile(options.subscribers, "subscribers file");
  await requireKnownPlaceholders(template, subscribersPath);
  const optedOut = options.optOuts
    ? await readPhoneNumberCsv(
        createReadStream(await requireFile(options.optOuts, "opt-outs file")),
        options.defaultCountry,
      )
    : new Set<string>();
  return {
    subscribersPath,
    template,
    at,
    mps: positiveNumber(options.mps, "--mps") ?? DEFAULT_MPS[options.numberType as NumberType],
    budgetUsd: positiveNumber(options.budget, "--budget"),
    segment,
    optedOut,
    defaultCountry: options.defaultCountry,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function audienceOf(inputs: Inputs) {
  return readAudienceCsv(createReadStream(inputs.subscribersPath), {
    segment: inputs.segment,
    defaultCountry: inputs.defaultCountry,
  });
}

async function plan(options: CommonOptions): Promise<void> {
  const inputs = await inputsOf(options);
  const issues = issueReporter(inputs.subscribersPath);
  const result = await orFail(
    planCampaign(audienceOf(inputs), {
      template: inputs.template,
      at: inputs.at,
      mps: inputs.mps,
      budgetUsd: inputs.budgetUsd,
      isOptedOut: (n) => inputs.optedOut.has(n),
      onIssue: issues.report,
    }),
  );
  issues.finish();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.badRows > 0) process.exitCode = 1;
}

/**
 * A send from this machine through a real provider would bypass the stack: its stored STOPs would
 * not be applied, and its message log and metrics would never hear of the sends. So real providers
 * send only through a stack, as a launched one-step campaign its ticker sends.
 */
function refuseOutsideStack(provider: CliProvider): void {
  if (provider === "local") return;
  fail(
    `--provider ${provider} would send from this machine, outside your stack, where its opt-outs, send ledger and stream never see it. Send through the stack with --stack NAME (or --outputs FILE), or try it with --provider local`,
  );
}

/** Options of a direct send that a stack send does not take: the stack's own config decides them. */
const DIRECT_ONLY = [
  "optOuts",
  "at",
  "mps",
  "budget",
  "segment",
  "concurrency",
  "state",
  "waitForWindow",
] as const;

async function sendThroughStack(options: SendOptions): Promise<void> {
  const given = DIRECT_ONLY.filter((key) => options[key] !== undefined);
  if (given.length > 0) {
    const flags = given.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ");
    fail(
      `${flags} cannot be used with --stack: the stack's config sets them. Drop ${given.length === 1 ? "it" : "them"}`,
    );
  }
  const stack = await connectStack(await stackOutputs(options));
  const result = await launchCampaign(stack, options, new Date());
  process.stderr.write(
    `smsctl: launched; the stack's ticker sends it. Follow it with 'smsctl campaign status ${result.campaignId}'\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.badRows > 0) process.exitCode = 1;
}

/** The events a CLI send publishes go to DIR/events.jsonl: the local stand-in for the stream. */
class JsonlEventPublisher implements EventPublisher {
  constructor(private readonly path: string) {}

  async publish(records: StreamRecord[]) {
    const decoder = new TextDecoder();
    appendFileSync(this.path, records.map((record) => `${decoder.decode(record.data)}\n`).join(""));
    return { failed: [] };
  }
}

/** Stable across re-runs of the same command, so the default state dir is the same too. */
function defaultCampaignId(subscribersPath: string, template: string): string {
  const digest = createHash("sha256")
    .update(`${resolve(subscribersPath)}\n${template}`)
    .digest("hex");
  return `campaign-${digest.slice(0, 12)}`;
}

async function countDataRows(path: string): Promise<number> {
  let newlines = 0;
  for await (const chunk of createReadStream(path)) {
    for (const byte of chunk as Buffer) if (byte === 10) newlines++;
  }
  return Math.max(0, newlines - 1);
}

function summaryOf(report: CampaignReport, mps: number) {
  return {
    audience: report.audience,
    eligibleNow: report.eligibleNow,
    sent: report.sent,
    alreadySent: report.alreadySent,
    failed: report.failed,
    suppressed: report.suppressed,
    held: report.held,
    encoding: report.encoding,
    maxSegmentsPerMessage: report.maxSegmentsPerMessage,
    totalSegments: report.totalSegments,
    costUsd: report.costUsd,
    estimatedDurationSeconds: Math.ceil(report.totalSegments / mps),
    badRows: report.badRows,
    ...(report.nextWindowAt ? { nextWindowAt: report.nextWindowAt } : {}),
  };
}

async function send(options: SendOptions): Promise<void> {
  if (!PROVIDERS.includes(options.provider as CliProvider)) {
    fail(`unknown provider "${options.provider}"; use one of ${PROVIDERS.join(", ")}`);
  }
  if (options.messageType !== "transactional" && options.messageType !== "promotional") {
    fail(`--message-type must be transactional or promotional, got "${options.messageType}"`);
  }
  const provider = options.provider as CliProvider;
  if (options.stack !== undefined || options.outputs !== undefined) return sendThroughStack(options);
  refuseOutsideStack(provider);
  const inputs = await inputsOf(options);
  const campaignId = options.campaignId ?? defaultCampaignId(inputs.subscribersPath, inputs.template);
  const stateDir = options.state ?? join(".sms-local", "campaigns", campaignId);
  mkdirSync(stateDir, { recursive: true });

  const clock: Clock = options.at ? new ShiftedClock(inputs.at) : new SystemClock();
  const sender = new OutboxSender(new AlwaysAcceptSender(), join(stateDir, "sends.jsonl"), clock);
  const optOuts = new MemoryOptOutStore();
  for (const number of inputs.optedOut)
    await optOuts.optOut(number, clock.now().toISOString(), "opt-outs-file");
  const ledger = new JsonlSendLedger(join(stateDir, "ledger.jsonl"));
  const issues = issueReporter(inputs.subscribersPath);
  const bar = new SingleBar({
    stream: process.stderr,
    format: "sending [{bar}] {value}/{total} rows | sent {sent} | held {held} | suppressed {suppressed}",
    hideCursor: true,
    noTTYOutput: false,
  });
  const showProgress = options.progress && process.stderr.isTTY;
  if (showProgress)
    bar.start(await countDataRows(inputs.subscribersPath), 0, { sent: 0, held: 0, suppressed: 0 });

  let rows = 0;
  const report = await orFail(
    runCampaign(
      {
        campaignId,
        template: inputs.template,
        messageType: options.messageType as "transactional" | "promotional",
      },
      () => audienceOf(inputs),
      {
        sender: withRetry(sender, { clock }),
        provider: provider as ProviderName,
        ledger,
        optOuts,
        publisher: new JsonlEventPublisher(join(stateDir, "events.jsonl")),
        clock,
        pacer: createPacer(inputs.mps, clock),
        budget: new Budget(inputs.budgetUsd),
      },
      {
        concurrency:
          positiveNumber(options.concurrency, "--concurrency") ?? Math.min(16, Math.ceil(inputs.mps)),
        waitForQuietHours: options.waitForWindow ?? false,
        onIssue: (issue) => {
          rows++;
          issues.report(issue);
        },
        onOutcome: (_outcome, progress) => {
          rows++;
          if (showProgress && rows % 50 === 0) {
            bar.update(rows, {
              sent: progress.sent + progress.alreadySent,
              held: progress.held.quietHours + progress.held.unknownTimeZone,
              suppressed:
                progress.suppressed.optedOut + progress.suppressed.budget + progress.suppressed.invalidNumber,
            });
          }
        },
      },
    ),
  );
  if (showProgress) {
    bar.update(rows);
    bar.stop();
  }
  ledger.close();
  issues.finish();
  process.stdout.write(`${JSON.stringify(summaryOf(report, inputs.mps))}\n`);
  if (report.badRows > 0 || report.failed > 0) process.exitCode = 1;
}

function withCommonOptions(command: Command): Command {
  return command
    .requiredOption(
      "--subscribers <file>",
      "subscriber CSV: subscriber_id, phone_number, optional time_zone, attributes",
    )
    .option("--opt-outs <file>", "CSV with a phone_number column of opted-out numbers")
    .option(
      "--message <text>",
      "message text; {{column}} inserts a subscriber attribute, {{column|fallback}} the fallback when it is empty",
    )
    .option("--template <file>", "file holding the message text")
    .option("--at <iso>", "when the send starts (ISO-8601); default now")
    .option("--mps <n>", "message parts per second the sender allows; default by --number-type")
    .option("--number-type <type>", `origination number type: ${NUMBER_TYPES.join(", ")}`, "10dlc")
    .option("--budget <usd>", "stop sending once the estimated cost reaches this many USD")
    .option(
      "--segment <json>",
      'only subscribers matching, e.g. [{"attribute":"tier","op":"eq","value":"gold"}]',
    )
    .option("--default-country <cc>", "country for numbers written without +", "US");
}

registerCommand((program) => {
  const campaign = program
    .command("campaign")
    .description(
      "plan or send a one-time SMS campaign, or launch and steer campaigns inside a deployed stack",
    );
  registerStackCommands(campaign);
  withCommonOptions(
    campaign.command("plan").description("count, price and time a campaign; sends nothing"),
  ).action((options: CommonOptions) => plan(options));
  withCommonOptions(campaign.command("send").description("send a campaign, resumably"))
    .option("--provider <name>", "local: send from this machine into <state>/sends.jsonl", "local")
    .option("--stack <name>", "send through this deployed stack, as a one-step campaign its ticker sends")
    .option("--outputs <file>", "a file holding 'pulumi stack output --json', instead of --stack")
    .option("--campaign-id <id>", "campaign id (default: derived from the file and message)")
    .option("--state <dir>", "where the resumable send state lives (default .sms-local/campaigns/<id>/)")
    .option("--message-type <type>", "transactional or promotional", "promotional")
    .option("--concurrency <n>", "messages in flight at once (pacing still caps the rate)")
    .option("--no-progress", "no progress bar on stderr")
    .option("--wait-for-window", "stay running until quiet hours end and send the held messages too")
    .addHelpText(
      "after",
      "\nA real provider (aws-eum, aws-pinpoint, azure-acs, twilio) sends only through a stack: pass --stack.\n",
    )
    .action((options: SendOptions) => send(options));
});
