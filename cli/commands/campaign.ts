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
  AudienceError,
  Budget,
  type CampaignReport,
  createPacer,
  DEFAULT_MPS,
  type NumberType,
  planCampaign,
  type RowIssue,
  readAudienceCsv,
  readAudienceHeader,
  readPhoneNumberCsv,
  runCampaign,
  type Segment,
  SegmentSchema,
  templateFieldsOf,
  unknownPlaceholders,
  withRetry,
} from "../../core/campaign";
import type { ProviderName } from "../../core/events/schema";
import type { Clock, EventPublisher, SmsSender, StreamRecord } from "../../core/ports";
import { AlwaysAcceptSender } from "../../providers/local/runtime/always-accept-sender";
import { JsonlSendLedger } from "../../providers/local/runtime/jsonl-send-ledger";
import { MemoryOptOutStore, SystemClock } from "../../providers/local/runtime/memory";
import { fail, registerCommand, requireFile } from "../args";
import { OutboxSender } from "../outbox";
import { ShiftedClock } from "../shifted-clock";

const PROVIDERS = ["local", "aws-eum", "aws-pinpoint", "azure-acs", "twilio"] as const;
type CliProvider = (typeof PROVIDERS)[number];
const NUMBER_TYPES = Object.keys(DEFAULT_MPS) as NumberType[];
/** Rows reported one by one on stderr before the rest are summarized. */
const MAX_ISSUE_LINES = 1000;

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

interface SendOptions extends CommonOptions {
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

/** A placeholder that is no column of the audience (a typo) would send an empty gap to everyone. */
async function requireKnownPlaceholders(template: string, subscribersPath: string): Promise<void> {
  const header = await orFail(readAudienceHeader(createReadStream(subscribersPath)));
  if (header.length === 0) return; // the audience reader reports the empty file
  const fields = templateFieldsOf(header);
  const unknown = unknownPlaceholders(template, fields);
  if (unknown.length === 0) return;
  const named = unknown.map((name) => `{{${name}}}`).join(", ");
  fail(
    `the message uses ${named}, which ${unknown.length === 1 ? "is not a column" : "are not columns"} of ${subscribersPath}. Use one of: ${fields.join(", ")}`,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Prints bad rows to stderr by line number; after MAX_ISSUE_LINES, only counts them. */
function issueReporter(path: string) {
  let reported = 0;
  return {
    report(issue: RowIssue) {
      reported++;
      if (reported <= MAX_ISSUE_LINES)
        process.stderr.write(`smsctl: ${path} line ${issue.line}: ${issue.kind}: ${issue.reason}\n`);
    },
    finish() {
      if (reported > MAX_ISSUE_LINES) {
        process.stderr.write(
          `smsctl: ${path}: ${reported - MAX_ISSUE_LINES} more rows skipped (counted in the JSON)\n`,
        );
      }
    },
  };
}

function audienceOf(inputs: Inputs) {
  return readAudienceCsv(createReadStream(inputs.subscribersPath), {
    segment: inputs.segment,
    defaultCountry: inputs.defaultCountry,
  });
}

/** AudienceError (a missing column) is the one failure of the whole file: one line, exit 2. */
async function orFail<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AudienceError || (error as NodeJS.ErrnoException).code !== undefined) {
      fail((error as Error).message);
    }
    throw error;
  }
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

interface EnvVar {
  name: string;
  about: string;
}

/** What each provider's sender reads from the environment: the --help text and the up-front check. */
export const PROVIDER_ENV: Record<CliProvider, { required: EnvVar[]; optional: EnvVar[] }> = {
  local: { required: [], optional: [] },
  "aws-eum": {
    required: [
      { name: "AWS_REGION", about: "region of the End User Messaging SMS account" },
      { name: "SMS_ORIGINATION_IDENTITY", about: "phone number, pool or sender ID (ARN or id) to send from" },
    ],
    optional: [
      { name: "SMS_CONFIGURATION_SET", about: "configuration set whose event destination feeds the stream" },
      { name: "SMS_MAX_PRICE_USD", about: "refuse messages priced above this per part" },
    ],
  },
  "aws-pinpoint": {
    required: [
      { name: "AWS_REGION", about: "region of the Pinpoint project" },
      { name: "PINPOINT_APPLICATION_ID", about: "Pinpoint project (application) id" },
    ],
    optional: [{ name: "SMS_ORIGINATION_NUMBER", about: "number to send from (default: the project's)" }],
  },
  "azure-acs": {
    required: [
      { name: "ACS_CONNECTION_STRING", about: "Communication Services connection string" },
      { name: "ACS_FROM_NUMBER", about: "the resource's SMS-enabled number, E.164" },
    ],
    optional: [],
  },
  twilio: {
    required: [
      { name: "TWILIO_ACCOUNT_SID", about: "account SID (AC...)" },
      { name: "TWILIO_AUTH_TOKEN", about: "auth token" },
      { name: "TWILIO_MESSAGING_SERVICE_SID", about: "messaging service to send from (MG...)" },
      { name: "TWILIO_STATUS_CALLBACK_URL", about: "the deployed webhook that receives delivery receipts" },
    ],
    optional: [],
  },
};

/** Every missing variable of the provider in one line, before anything is read or sent. */
function requireProviderEnv(provider: CliProvider): void {
  const missing = PROVIDER_ENV[provider].required.map((v) => v.name).filter((name) => !process.env[name]);
  if (missing.length === 0) return;
  const variables = missing.length === 1 ? "variable" : "variables";
  fail(
    `--provider ${provider} needs the environment ${variables} ${missing.join(", ")}. See 'smsctl campaign send --help'`,
  );
}

/** The --help section listing PROVIDER_ENV, so the help cannot drift from the check. */
function providerEnvHelp(): string {
  const lines = ["", "Environment, by --provider (required unless marked optional):"];
  for (const [provider, env] of Object.entries(PROVIDER_ENV)) {
    if (env.required.length + env.optional.length === 0) continue;
    lines.push(`  ${provider}`);
    for (const v of env.required) lines.push(`    ${v.name.padEnd(30)}${v.about}`);
    for (const v of env.optional) lines.push(`    ${v.name.padEnd(30)}optional: ${v.about}`);
  }
  lines.push(
    "  AWS credentials come from the SDK's usual chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...).",
    "  --provider local needs nothing; it writes each message to <state>/sends.jsonl.",
  );
  return `${lines.join("\n")}\n`;
}

/** The variable's value; requireProviderEnv has checked the required ones. */
const env = (name: string): string => process.env[name] ?? "";

/** Builds the provider's sender from env vars; SDKs load only for the provider asked for. */
async function senderFor(provider: CliProvider): Promise<SmsSender> {
  switch (provider) {
    case "local":
      return new AlwaysAcceptSender();
    case "aws-eum": {
      const { PinpointSMSVoiceV2Client } = await import("@aws-sdk/client-pinpoint-sms-voice-v2");
      const { EumSmsSender } = await import("../../providers/aws/runtime/eum-sender");
      return new EumSmsSender(new PinpointSMSVoiceV2Client({ region: env("AWS_REGION") }), {
        originationIdentity: env("SMS_ORIGINATION_IDENTITY"),
        configurationSetName: process.env.SMS_CONFIGURATION_SET || undefined,
        maxPriceUsd: process.env.SMS_MAX_PRICE_USD ? Number(process.env.SMS_MAX_PRICE_USD) : undefined,
      });
    }
    case "aws-pinpoint": {
      const { PinpointClient } = await import("@aws-sdk/client-pinpoint");
      const { PinpointSmsSender } = await import("../../providers/aws/runtime/pinpoint-sender");
      return new PinpointSmsSender(new PinpointClient({ region: env("AWS_REGION") }), {
        applicationId: env("PINPOINT_APPLICATION_ID"),
        originationNumber: process.env.SMS_ORIGINATION_NUMBER || undefined,
      });
    }
    case "azure-acs": {
      const { SmsClient } = await import("@azure/communication-sms");
      const { AcsSmsSender } = await import("../../providers/azure/runtime/acs-sender");
      return new AcsSmsSender(new SmsClient(env("ACS_CONNECTION_STRING")), { from: env("ACS_FROM_NUMBER") });
    }
    case "twilio": {
      const { default: twilio } = await import("twilio");
      const { TwilioSmsSender } = await import("../../providers/gcp/runtime/twilio-sender");
      return new TwilioSmsSender(twilio(env("TWILIO_ACCOUNT_SID"), env("TWILIO_AUTH_TOKEN")), {
        messagingServiceSid: env("TWILIO_MESSAGING_SERVICE_SID"),
        statusCallbackUrl: env("TWILIO_STATUS_CALLBACK_URL"),
      });
    }
  }
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
  requireProviderEnv(provider);
  const inputs = await inputsOf(options);
  const campaignId = options.campaignId ?? defaultCampaignId(inputs.subscribersPath, inputs.template);
  const stateDir = options.state ?? join(".sms-local", "campaigns", campaignId);
  mkdirSync(stateDir, { recursive: true });

  const clock: Clock = options.at ? new ShiftedClock(inputs.at) : new SystemClock();
  let sender = await senderFor(provider);
  if (provider === "local") sender = new OutboxSender(sender, join(stateDir, "sends.jsonl"), clock);
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
  const campaign = program.command("campaign").description("plan or send a one-time SMS campaign");
  withCommonOptions(
    campaign.command("plan").description("count, price and time a campaign; sends nothing"),
  ).action((options: CommonOptions) => plan(options));
  withCommonOptions(campaign.command("send").description("send a campaign, resumably"))
    .requiredOption("--provider <name>", `one of ${PROVIDERS.join(", ")}`)
    .option("--campaign-id <id>", "campaign id (default: derived from the file and message)")
    .option("--state <dir>", "where the resumable send state lives (default .sms-local/campaigns/<id>/)")
    .option("--message-type <type>", "transactional or promotional", "promotional")
    .option("--concurrency <n>", "messages in flight at once (pacing still caps the rate)")
    .option("--no-progress", "no progress bar on stderr")
    .option("--wait-for-window", "stay running until quiet hours end and send the held messages too")
    .addHelpText("after", providerEnvHelp())
    .action((options: SendOptions) => send(options));
});
