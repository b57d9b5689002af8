/**
 * Shared plumbing for smsctl commands: the command registry, one-line errors, reading FILE or "-".
 * Conventions: a usage problem prints ONE line to stderr (`smsctl: <what is wrong>. <what to do>`)
 * and exits 2; a command whose input partly failed exits 1; success exits 0. No stack traces.
 */
import { readFile, stat } from "node:fs/promises";
import { Command, CommanderError } from "commander";
import { userDirectory } from "./user-directory";

export type CommandRegistration = (program: Command) => void;

const registrations: CommandRegistration[] = [];

/** Called by each cli/commands/*.ts module when smsctl imports it. */
export function registerCommand(registration: CommandRegistration): void {
  registrations.push(registration);
}

/** Exit status for a usage error (bad option, missing file). */
export const USAGE_ERROR = 2;

/** Prints one line to stderr and exits. */
export function fail(message: string, exitCode = USAGE_ERROR): never {
  process.stderr.write(`smsctl: ${message}\n`);
  process.exit(exitCode);
}

/**
 * `what PATH` must be a readable file: a missing path or a directory is one line, exit 2.
 * Returns the path, so callers can write `await requireFile(options.x, "x file")`.
 */
export async function requireFile(path: string, what: string): Promise<string> {
  const found = await stat(path).catch(() => undefined);
  if (!found) fail(`cannot read ${what} ${path}: no such file. Pass an existing file`);
  if (found.isDirectory()) fail(`cannot read ${what} ${path}: it is a directory. Pass a file`);
  return path;
}

/** Reads FILE, or standard input for "-" or no FILE; a missing or unreadable file is a usage error. */
export async function readInput(file: string | undefined): Promise<string> {
  if (file === undefined || file === "-") {
    if (process.stdin.isTTY) fail("no input. Pass a FILE, or pipe a payload into standard input");
    return readStdin();
  }
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      fail(`cannot read ${file}: no such file. Pass an existing file, or - for standard input`);
    if (code === "EISDIR")
      fail(`cannot read ${file}: it is a directory. Pass a file, or - for standard input`);
    fail(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Builds smsctl from the registered commands and runs it; every failure ends in one line. */
export async function runCli(argv: string[]): Promise<void> {
  // Every relative path (files, --state, --dir, the default .sms-local/) is the user's, also
  // under `npm --prefix REPO run smsctl`; modules load relative to their own files, not the cwd.
  const user = userDirectory("smsctl");
  if (user) process.chdir(user);
  let active = "smsctl";
  const program = new Command("smsctl")
    .description("Operate the two-way SMS campaign system: decode events, plan and send campaigns, replay.")
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true)
    .hook("preSubcommand", (_program, subcommand) => {
      active = `smsctl ${subcommand.name()}`;
    });
  // Subcommands created after exitOverride/configureOutput inherit them.
  for (const register of registrations) register(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) process.exit(0);
      fail(`${error.message.replace(/^error: /, "").replace(/\n/g, " ")}. Run '${active} --help' for usage`);
    }
    fail(error instanceof Error ? error.message : String(error), 1);
  }
}
