/**
 * `smsctl compliance report [--state DIR]`: the revocation SLA of every opt-out in the local state
 * directory (the one `smsctl journey` uses). With --stack NAME or --outputs FILE it lists the
 * clocks of a deployed stack instead, as its ticker judged them (the report judges nothing there).
 * The local form first runs the SLA monitor as the deployed ticker
 * does (judging every opt-out whose window has passed, against the opt-outs, review holds,
 * journeys and the outbox), then lists each opt-out with its verdict: JSON lines on stdout (or a
 * table), a one-line summary on stderr. Exit 1 when any opt-out breached its SLA, 2 on a bad
 * argument. Numbers are shown as their last four digits (and a salted hash with SMS_PHONE_HASH_SALT).
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CampaignStack, RevocationCheck, RevocationClock } from "../../core/ports";
import {
  DEFAULT_REVOCATION_SLA_MINUTES,
  monitorRevocations,
  REVOCATION_CHECKS,
  revocationDueAt,
} from "../../core/processing/revocation-sla";
import { describePhone, redactText } from "../../core/redact";
import { journeyDefinitions } from "../../journeys";
import { localMessageIdOf } from "../../providers/local/runtime/always-accept-sender";
import { JsonlFile } from "../../providers/local/runtime/jsonl-file";
import { MemoryMessageLog, MemoryMetricsSink } from "../../providers/local/runtime/memory";
import { fail, registerCommand } from "../args";
import { DEFAULT_JOURNEY_STATE_DIR, OUTBOX_FILE } from "../local-state";
import { connectStack, type StackOptions, stackOutputs, withStackOptions } from "../stack";
import { AT_HELP, openRuntime, type StateOptions } from "./journey";

/** The salt of the phone hash in the report; a secret, so it comes from the environment, never argv. */
export const PHONE_HASH_SALT_ENV = "SMS_PHONE_HASH_SALT";

export interface ReportOptions extends StateOptions, StackOptions {
  /** Absent: the default window locally, the stack's own revocationSlaMinutes with --stack/--outputs. */
  windowMinutes?: string;
  format: string;
}

/** The stack output naming the SLA window its ticker judges with (the config key of the same name). */
export const REVOCATION_SLA_OUTPUT = "revocationSlaMinutes";

type CheckState = "ok" | "failed" | "pending" | "not_applicable";

/** One opt-out as the report prints it: nothing that names the subscriber beyond the masked number. */
export interface ComplianceLine {
  event: string;
  phone: string;
  phoneHash?: string;
  source: RevocationClock["source"];
  optedOutAt: string;
  dueAt: string;
  confirmedAt: string | null;
  status: "met" | "breached" | "pending";
  checks: Record<RevocationCheck, CheckState>;
  breach?: string;
}

function checkStates(clock: RevocationClock): Record<RevocationCheck, CheckState> {
  const failed = new Set(clock.verdict?.failures.map((failure) => failure.check));
  const stateOf = (check: RevocationCheck): CheckState => {
    if (check === "confirmation_sent" && !clock.confirmationExpected) return "not_applicable";
    if (!clock.verdict) return "pending";
    return failed.has(check) ? "failed" : "ok";
  };
  return Object.fromEntries(REVOCATION_CHECKS.map((check) => [check, stateOf(check)])) as Record<
    RevocationCheck,
    CheckState
  >;
}

export function complianceLineOf(
  clock: RevocationClock,
  windowMinutes: number,
  salt?: string,
): ComplianceLine {
  const who = describePhone(clock.phoneNumber, salt);
  const breach = clock.verdict?.failures.map((failure) => `${failure.check}: ${failure.reason}`).join("; ");
  return {
    // Local event ids can embed the number (cli-reply-+1212...): masked like a log line.
    event: redactText(clock.eventId),
    phone: who.phone,
    ...(who.phoneHash ? { phoneHash: who.phoneHash } : {}),
    source: clock.source,
    optedOutAt: clock.optedOutAt,
    dueAt: revocationDueAt(clock.optedOutAt, windowMinutes),
    confirmedAt: clock.confirmedAt ?? null,
    status: clock.verdict?.status ?? "pending",
    checks: checkStates(clock),
    ...(breach ? { breach: redactText(breach) } : {}),
  };
}

/** What the local commands sent, as the deployed message log would know it (from the outbox). */
async function outboxMessageLog(stateDir: string): Promise<MemoryMessageLog> {
  const log = new MemoryMessageLog();
  for (const line of JsonlFile.read<{ at: string; to: string; key: string }>(join(stateDir, OUTBOX_FILE))) {
    await log.record({ messageId: localMessageIdOf(line.key), phoneNumber: line.to, sentAt: line.at });
  }
  return log;
}

const isWindow = (minutes: number) => Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440;

function parseWindow(raw: string = String(DEFAULT_REVOCATION_SLA_MINUTES)): number {
  const minutes = Number(raw);
  if (!/^\d+$/.test(raw) || !isWindow(minutes)) {
    fail(`--window-minutes must be a whole number of minutes from 1 to 1440, got "${raw}"`);
  }
  return minutes;
}

/**
 * The window a stack's report shows due times with: --window-minutes when given, else the window
 * the stack's ticker judges with (its revocationSlaMinutes output). A stack deployed before that
 * output existed gets the default, with a warning, as its ticker's window cannot be known here.
 */
export function stackWindowMinutes(outputs: Record<string, unknown>, explicit: string | undefined): number {
  if (explicit !== undefined) return parseWindow(explicit);
  const deployed = outputs[REVOCATION_SLA_OUTPUT];
  if (deployed === undefined) {
    process.stderr.write(
      `compliance: the stack outputs name no ${REVOCATION_SLA_OUTPUT} (deployed by an older version): due times use ${DEFAULT_REVOCATION_SLA_MINUTES} minutes; pass --window-minutes N for the stack's window\n`,
    );
    return DEFAULT_REVOCATION_SLA_MINUTES;
  }
  const minutes = typeof deployed === "string" && /^\d+$/.test(deployed) ? Number(deployed) : deployed;
  if (typeof minutes !== "number" || !isWindow(minutes)) {
    fail(
      `the stack outputs' ${REVOCATION_SLA_OUTPUT} must be a whole number of minutes from 1 to 1440, got ${JSON.stringify(deployed)}. Pass --window-minutes N, or check the outputs file`,
    );
  }
  return minutes;
}

function requireStateDir(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    fail(`--state ${dir}: no such directory. Pass the state directory 'smsctl journey' used`);
  }
  return dir;
}

function checkFormat(format: string): void {
  if (format !== "jsonl" && format !== "table") fail(`--format must be jsonl or table, got "${format}"`);
}

const phoneHashSalt = () => process.env[PHONE_HASH_SALT_ENV] || undefined;

/**
 * Every clock of a deployed stack with the verdict its ticker gave, oldest first. Nothing is judged
 * here: a clock the ticker has not reached yet shows as pending.
 */
export async function stackComplianceReport(
  stack: CampaignStack,
  outputs: Record<string, unknown>,
  explicitWindow: string | undefined,
): Promise<ComplianceLine[]> {
  if (!stack.revocations) {
    fail(
      `${stack.describe()}: its outputs name no revocation clocks store (deployed by an older version). Redeploy the stack with this version, then run the report again`,
    );
  }
  const windowMinutes = stackWindowMinutes(outputs, explicitWindow);
  const salt = phoneHashSalt();
  return (await stack.revocations.list()).map((clock) => complianceLineOf(clock, windowMinutes, salt));
}

/** Runs the monitor over the state directory, then returns every opt-out's line, oldest first. */
export async function complianceReport(options: ReportOptions): Promise<ComplianceLine[]> {
  const windowMinutes = parseWindow(options.windowMinutes);
  checkFormat(options.format);
  const stateDir = requireStateDir(options.state ?? DEFAULT_JOURNEY_STATE_DIR);
  const runtime = await openRuntime({ ...options, state: stateDir }, journeyDefinitions);
  try {
    await monitorRevocations(
      {
        clock: runtime.clock,
        revocations: runtime.revocations,
        optOuts: runtime.optOuts,
        optOutReviews: runtime.reviews,
        journeys: runtime.store,
        subscribers: runtime.subscribers,
        messages: await outboxMessageLog(stateDir),
        // Locally the breach shows in this report and its exit status; there is no alarm to feed.
        metrics: new MemoryMetricsSink(),
        consentLog: runtime.consentLog,
      },
      { windowMinutes, limit: Number.MAX_SAFE_INTEGER },
    );
    const salt = phoneHashSalt();
    return (await runtime.revocations.list()).map((clock) => complianceLineOf(clock, windowMinutes, salt));
  } finally {
    runtime.close();
  }
}

const TABLE_COLUMNS = ["phone", "optedOutAt", "confirmedAt", "status", "breach"] as const;

function tableOf(lines: ComplianceLine[]): string {
  const rows = lines.map((line) => TABLE_COLUMNS.map((column) => String(line[column] ?? "-")));
  const widths = TABLE_COLUMNS.map((column, i) =>
    Math.max(column.length, ...rows.map((row) => row[i].length)),
  );
  const render = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ");
  return `${[render(TABLE_COLUMNS), ...rows.map(render)].join("\n")}\n`;
}

type Connect = (outputs: Record<string, unknown>) => Promise<CampaignStack>;

/** The stack form when --stack or --outputs is given; the local form otherwise. */
async function linesOf(options: ReportOptions, connect: Connect): Promise<ComplianceLine[]> {
  if (options.stack === undefined && options.outputs === undefined) return complianceReport(options);
  if (options.state !== undefined || options.at !== undefined) {
    fail("--state and --at are for the local form; drop them with --stack or --outputs");
  }
  checkFormat(options.format);
  if (options.windowMinutes !== undefined) parseWindow(options.windowMinutes); // a bad argument fails before any connection
  const outputs = await stackOutputs(options);
  return stackComplianceReport(await connect(outputs), outputs, options.windowMinutes);
}

/**
 * Prints the lines (stdout) and the summary (stderr); exit status 1 on any breach. `connect` is
 * connectStack; tests pass one aimed at the emulators.
 */
export async function report(options: ReportOptions, connect: Connect = connectStack): Promise<void> {
  const lines = await linesOf(options, connect);
  if (options.format === "table") process.stdout.write(tableOf(lines));
  else for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
  const count = (status: ComplianceLine["status"]) => lines.filter((line) => line.status === status).length;
  const breached = count("breached");
  process.stderr.write(
    `compliance: ${lines.length} opt-out(s): ${count("met")} met, ${breached} breached, ${count("pending")} pending\n`,
  );
  if (breached > 0) process.exitCode = 1;
}

registerCommand((program) => {
  const compliance = program
    .command("compliance")
    .description("revocation SLA: was every opt-out confirmed, suppressed and left alone in time?");
  withStackOptions(compliance.command("report"))
    .description(
      "judge every opt-out whose SLA window has passed, then list each with its verdict " +
        "(with --stack/--outputs: list a deployed stack's opt-outs as its ticker judged them) " +
        "(JSON lines, or --format table). Exit status 1 when any opt-out breached its SLA, 2 on a bad argument. " +
        `Numbers show their last four digits, plus a salted hash when ${PHONE_HASH_SALT_ENV} is set.`,
    )
    .option(
      "--state <dir>",
      `the state directory 'smsctl journey' wrote (default ${DEFAULT_JOURNEY_STATE_DIR}/)`,
    )
    .option("--at <iso>", AT_HELP)
    .option(
      "--window-minutes <n>",
      `minutes an opt-out has to be confirmed and suppressed (default ${DEFAULT_REVOCATION_SLA_MINUTES}; with --stack/--outputs, the stack's revocationSlaMinutes)`,
    )
    .option("--format <format>", "jsonl or table", "jsonl")
    .action((options: ReportOptions) => report(options));
});
