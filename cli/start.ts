/**
 * `npm start`: runs a whole SMS campaign on this machine, no cloud account, through one cloud's
 * real function handlers (`--cloud aws|azure|gcp`; see providers/local/run/local-run.ts). Prints the dashboard, writes
 * summary.json, report.html and the archive to --out, and exits non-zero if an invariant fails.
 */
import { join } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { redactedMessage, redactText } from "../core/redact";
import { type Chaos, chaosMismatch, parseChaosSpec } from "../providers/local/chaos/chaos-spec";
import { LOCAL_CLOUDS, type LocalCloudName } from "../providers/local/clouds/local-cloud";
import { EmulatorError } from "../providers/local/emulators";
import { renderDashboard } from "../providers/local/report/dashboard";
import { writeRunOutputs } from "../providers/local/report/write-outputs";
import { type RunPhase, runLocal } from "../providers/local/run/local-run";
import { DEFAULT_SIMULATED_START, type LocalRunInput } from "../providers/local/run/options";
import { archiveHighlights } from "./archive-highlights";
import { userPath } from "./user-directory";

const integer = (name: string, min: number, max: number) => (value: string) => {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new InvalidArgumentError(`${name} must be an integer between ${min} and ${max}.`);
  }
  return parsed;
};
const rate = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) {
    throw new InvalidArgumentError(`${name} must be a number between 0 and 1.`);
  }
  return parsed;
};
const positive = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError(`${name} must be a positive number.`);
  return parsed;
};
const instant = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError("--at must be an ISO-8601 UTC instant, e.g. 2026-06-16T18:00:00Z.");
  }
  return new Date(value).toISOString();
};

/** The share `--spike` blocks when given without one: far above any carrier's tolerance. */
const DEFAULT_SPIKE_SHARE = 0.3;

const EMULATORS = ["kinesis", "dynamodb", "fauxqs"] as const;
/** "kinesis=4567,fauxqs=4566" -> { kinesis: 4567, fauxqs: 4566 } */
const ports = (value: string) => {
  const parsed: Partial<Record<(typeof EMULATORS)[number], number>> = {};
  for (const pair of value.split(",")) {
    const [name, port] = pair.split("=");
    if (
      !EMULATORS.includes(name as never) ||
      !/^\d+$/.test(port ?? "") ||
      Number(port) < 1 ||
      Number(port) > 65_535
    ) {
      throw new InvalidArgumentError(
        `--ports takes ${EMULATORS.map((e) => `${e}=<port>`).join(",")} (any subset).`,
      );
    }
    parsed[name as (typeof EMULATORS)[number]] = Number(port);
  }
  return parsed;
};

const chaosSpec = (value: string) => {
  try {
    return parseChaosSpec(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^--chaos: /, ""));
  }
};

const program = new Command("npm start --")
  .description(
    "Run a whole two-way SMS campaign locally, no cloud account: one cloud's stack (AWS by default) on " +
      "local emulators, a simulated carrier, and that cloud's real function handlers.",
  )
  .option("--subscribers <n>", "audience size", integer("--subscribers", 1, 1_000_000), 2_000)
  .option(
    "--seed <n>",
    "seed of the audience and carrier (same seed, same run)",
    integer("--seed", 0, 2 ** 32 - 1),
    1,
  )
  .option("--at <instant>", "simulated campaign start (UTC)", instant, DEFAULT_SIMULATED_START)
  .option("--out <dir>", "where summary.json, report.html and archive/ go", ".sms-local")
  .addOption(
    new Option("--cloud <name>", "whose stack runs: its emulators, event formats and functions")
      .choices(LOCAL_CLOUDS)
      .default("aws"),
  )
  .option("--stack <file>", "the stack file whose names and settings to use (default: Pulumi.<cloud>.yaml)")
  .option("--mps <n>", "message parts per second of the sending number", positive("--mps"), 100)
  .option("--shards <n>", "stream shards (default: the stack's, at least 8)", integer("--shards", 1, 64))
  .option(
    "--tick-seconds <n>",
    "seconds between the journey ticker's runs (simulated)",
    integer("--tick-seconds", 1, 3_600),
    60,
  )
  .option("--concurrency <n>", "messages in flight at once", integer("--concurrency", 1, 1_000), 64)
  .option("--failure-rate <p>", "share of messages the carrier fails", rate("--failure-rate"), 0.03)
  .option("--reply-rate <p>", "share of delivered messages that get a reply", rate("--reply-rate"), 0.12)
  .option("--stop-rate <p>", "share of replies that are STOP", rate("--stop-rate"), 0.15)
  .option("--help-rate <p>", "share of replies that are HELP", rate("--help-rate"), 0.05)
  .option(
    "--free-text-rate <p>",
    "share of replies that are free text (the rest say YES)",
    rate("--free-text-rate"),
    0.3,
  )
  .option("--duplicate-rate <p>", "share of replies SNS delivers twice", rate("--duplicate-rate"), 0.02)
  .option(
    "--poison-rate <p>",
    "share of receipts garbled in transit (dead-letter path)",
    rate("--poison-rate"),
    0.001,
  )
  .option(
    "--ports <list>",
    "fixed emulator ports, e.g. kinesis=4567,dynamodb=8000,fauxqs=4566 (default: free ports)",
    ports,
  )
  .addOption(
    new Option(
      "--no-dynamodb-local",
      "use in-memory stores (default: DynamoDB Local when Java is installed)",
    ),
  )
  .option(
    "--chaos <spec>",
    "inject faults while the campaign runs: throttle=0.2 throttles a fifth of the Kinesis, DynamoDB, S3 and send calls; kill=kinesis|dynamodb,down=3 SIGKILLs that emulator mid-campaign and restarts it 3 s later (--cloud aws)",
    chaosSpec,
  )
  .option(
    "--spike [share]",
    `mid-run, the carrier blocks a share of the Welcome Series' messages (default ${DEFAULT_SPIKE_SHARE}); turns the circuit breaker on`,
    rate("--spike"),
  )
  .addOption(
    new Option(
      "--circuit-breaker <mode>",
      "run the analytics function's circuit breaker (default: on with --spike, else off)",
    ).choices(["on", "off"]),
  )
  .addOption(new Option("--no-progress", "no progress bar"))
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`${text.split("\n")[0].trim()}\n`) })
  .showHelpAfterError(false)
  .allowExcessArguments(false);

type Options = {
  subscribers: number;
  seed: number;
  at: string;
  out: string;
  cloud: LocalCloudName;
  stack?: string;
  mps: number;
  concurrency: number;
  tickSeconds: number;
  shards?: number;
  failureRate: number;
  replyRate: number;
  stopRate: number;
  helpRate: number;
  freeTextRate: number;
  duplicateRate: number;
  poisonRate: number;
  progress: boolean;
  dynamodbLocal: boolean;
  ports?: ReturnType<typeof ports>;
  chaos?: Chaos;
  spike?: number | true;
  circuitBreaker?: "on" | "off";
};

const PHASE_LABELS: Record<RunPhase, string> = {
  emulators: "starting emulators",
  bootstrap: "creating resources",
  campaign: "sending campaign",
  journey: "Welcome Series ticks",
  stream: "functions processing stream",
  collect: "reading results",
};

function progressReporter(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return { onPhase: () => {}, onProgress: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: " {phase} [{bar}] {value}/{total}",
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    onPhase: (phase: RunPhase, total: number) => {
      if (started) {
        bar.setTotal(Math.max(total, 1));
        bar.update(0, { phase: PHASE_LABELS[phase] });
      } else bar.start(Math.max(total, 1), 0, { phase: PHASE_LABELS[phase] });
      started = true;
    },
    onProgress: (_phase: RunPhase, done: number, total: number) => {
      bar.setTotal(Math.max(total, 1));
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

/** Ctrl-C (or a TERM) stops the emulators' process groups before exiting, never leaving them behind. */
function stopOnInterrupt(beforeExit: () => void) {
  return (stopEmulators: () => Promise<void>) => {
    const interrupt = (signal: NodeJS.Signals) => {
      beforeExit();
      process.stderr.write(`\n${signal}: stopping the emulators\n`);
      void stopEmulators().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
  };
}

async function main(): Promise<number> {
  try {
    program.parse(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  const options = program.opts<Options>();
  options.out = userPath("start", options.out);
  const input: LocalRunInput = {
    subscribers: options.subscribers,
    seed: options.seed,
    at: options.at,
    out: options.out,
    cloud: options.cloud,
    ...(options.stack ? { stackFile: options.stack } : {}),
    mps: options.mps,
    concurrency: options.concurrency,
    tickSeconds: options.tickSeconds,
    dynamodbLocal: options.dynamodbLocal,
    ...(options.ports ? { ports: options.ports } : {}),
    ...(options.shards ? { shards: options.shards } : {}),
    ...(options.chaos ? { chaos: options.chaos } : {}),
    ...(options.spike === undefined
      ? {}
      : { spike: options.spike === true ? DEFAULT_SPIKE_SHARE : options.spike }),
    ...(options.circuitBreaker ? { circuitBreaker: options.circuitBreaker === "on" } : {}),
    rates: {
      deliveryFailureRate: options.failureRate,
      replyRate: options.replyRate,
      stopRate: options.stopRate,
      helpRate: options.helpRate,
      freeTextRate: options.freeTextRate,
      duplicateRate: options.duplicateRate,
      poisonRate: options.poisonRate,
    },
  };
  const chaosProblem = options.chaos && chaosMismatch(options.chaos, options.cloud);
  if (chaosProblem) {
    process.stderr.write(`error: ${chaosProblem}.\n`);
    return 2;
  }
  if (options.stopRate + options.helpRate + options.freeTextRate > 1) {
    process.stderr.write("error: --stop-rate + --help-rate + --free-text-rate must not exceed 1.\n");
    return 2;
  }
  const progress = progressReporter(options.progress);
  // Emulator chatter ("[kinesis-local] ...") stays out of the way; the run's own notes are shown.
  const log = (line: string) => {
    // On a terminal, clear the progress bar's line first; the bar redraws on its next update.
    const clear = process.stderr.isTTY ? "\r\x1b[2K" : "";
    if (!line.startsWith("[") || /not started/.test(line))
      process.stderr.write(`${clear}${redactText(line)}\n`);
  };
  let summary: Awaited<ReturnType<typeof runLocal>>;
  try {
    summary = await runLocal(input, {
      log,
      onPhase: progress.onPhase,
      onProgress: progress.onProgress,
      onEmulatorsStarted: stopOnInterrupt(progress.stop),
    });
  } catch (error) {
    progress.stop();
    if (error instanceof EmulatorError) {
      process.stderr.write(`error: could not start the local emulators: ${redactText(error.message)}\n`);
      return 3;
    }
    process.stderr.write(`error: the local run failed: ${redactedMessage(error)}\n`);
    return 1;
  }
  progress.stop();
  const written = await writeRunOutputs(summary, options.out);
  process.stdout.write(renderDashboard(summary));
  process.stdout.write(
    `wrote ${written.summaryJson}, ${written.reportHtml} and ${summary.archiveFiles} Parquet files under ${join(options.out, "archive")}\n`,
  );
  process.stdout.write(await archiveHighlights(join(options.out, "archive")));
  return summary.invariants.every((invariant) => invariant.holds) ? 0 : 1;
}

process.exitCode = await main();
