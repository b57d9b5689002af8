/**
 * `smsctl consent --phone <E.164> [--state DIR]`: the consent evidence of one number, exported and
 * verified. Its entries go to stdout as JSON lines, in chain order; one line on stderr says whether
 * the hash chain holds, and agrees with the number's anchored head (so removed last entries show). Exit 0 when it holds, 1 when it is broken (naming the first bad entry),
 * 2 on a bad argument. The number is never echoed to stderr.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { normalizePhoneNumber } from "../../core/campaign";
import type { ConsentEntry } from "../../core/ports";
import { verifyChain, verifyHead } from "../../core/processing/consent";
import { redactText } from "../../core/redact";
import { JsonlConsentLog } from "../../providers/local/runtime/jsonl-consent-log";
import { fail, registerCommand } from "../args";
import { CONSENT_LOG_FILE, DEFAULT_JOURNEY_STATE_DIR } from "../local-state";

interface ConsentOptions {
  phone: string;
  state?: string;
}

/** The file's entries for one number, in file order, and how many lines could not be read at all. */
export function readConsentFile(
  path: string,
  phone: string,
): { entries: ConsentEntry[]; unreadable: number } {
  const entries: ConsentEntry[] = [];
  let unreadable = 0;
  if (!existsSync(path)) return { entries, unreadable };
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const entry = JSON.parse(line) as ConsentEntry;
      if (entry.phoneNumber === phone) entries.push(entry);
    } catch {
      unreadable++;
    }
  }
  return { entries, unreadable };
}

function requireE164(phone: string): string {
  if (!phone.startsWith("+") || normalizePhoneNumber(phone)?.e164 !== phone) {
    fail(
      "--phone must be a valid E.164 number like +12125550101 (a plus, the country code, then the digits)",
    );
  }
  return phone;
}

function requireStateDir(dir: string): string {
  const found = existsSync(dir) ? statSync(dir) : undefined;
  if (!found) fail(`--state ${dir}: no such directory. Pass the state directory 'smsctl journey' used`);
  if (!found.isDirectory()) fail(`--state ${dir} is a file. Pass the state directory 'smsctl journey' used`);
  return dir;
}

function consent(options: ConsentOptions): void {
  const phone = requireE164(options.phone);
  const dir = requireStateDir(options.state ?? DEFAULT_JOURNEY_STATE_DIR);
  const path = join(dir, CONSENT_LOG_FILE);
  const { entries, unreadable } = readConsentFile(path, phone);
  for (const entry of entries) process.stdout.write(`${JSON.stringify(entry)}\n`);
  if (unreadable > 0) {
    process.stderr.write(
      `consent: warning: ${unreadable} unreadable line(s) in ${CONSENT_LOG_FILE} skipped\n`,
    );
  }
  const head = JsonlConsentLog.headOf(path, phone);
  const chain = verifyChain(entries);
  const verdict = chain.ok && head ? verifyHead(entries, head) : chain;
  if (verdict.ok) {
    if (!head && entries.length > 0)
      process.stderr.write("consent: warning: no anchored head for this number; truncation not checked\n");
    process.stderr.write(`consent: chain verified, ${verdict.entries} entries\n`);
    return;
  }
  // Local event ids can embed the number (cli-reply-+1212...), so the line is redacted like a log line.
  const named =
    verdict.eventId === undefined
      ? `entry ${verdict.index + 1} (sequence ${verdict.sequence}, missing)`
      : `entry ${verdict.index + 1} (sequence ${verdict.sequence}, event ${verdict.eventId})`;
  process.stderr.write(redactText(`consent: chain BROKEN at ${named}: ${verdict.reason}\n`));
  process.exitCode = 1;
}

registerCommand((program) => {
  program
    .command("consent")
    .description("export one number's consent evidence (JSON lines) and verify its hash chain")
    .requiredOption("--phone <e164>", "the subscriber's number, E.164 (+12125550101)")
    .option(
      "--state <dir>",
      `the state directory 'smsctl journey' wrote (default ${DEFAULT_JOURNEY_STATE_DIR}/)`,
    )
    .action((options: ConsentOptions) => consent(options));
});
