/**
 * `smsctl erase --phone <E.164> [--state DIR] [--archive DIR]` or `... --stack NAME | --outputs FILE`:
 * removes everything personal about one subscriber (replies, message log, journeys, subscriber
 * record, opt-out and its reviews, parked receipts, consent entries, revocation SLA clocks, and
 * their archive rows, the Parquet files rewritten in place) and keeps a salted-hash tombstone that keeps the number
 * suppressed. The receipt (what was removed, and where; the number masked) goes to stdout as one
 * JSON object; one line on stderr names where and the tombstone. Exit 2 on a bad argument.
 *
 * A deployed stack on AWS, Azure or GCP (its `cloud` output picks the connector, as for every stack
 * command) is reached under the names its outputs give, with the SDK's default credentials (the AWS
 * chain, DefaultAzureCredential, application default credentials). A missing output is one line.
 *
 * The salt: SMS_PHONE_HASH_SALT when set; with --stack, else the stack's secret config
 * `sms-campaigns:phoneHashSalt` (read through `pulumi config get`); locally, else a fixed local salt.
 */
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { normalizePhoneNumber } from "../../core/campaign";
import { type ErasureStack, eraseSubscriber } from "../../core/processing/erasure";
import { DirectoryArchive } from "../../providers/local/runtime/directory-archive";
import { headsPathOf, JsonlConsentLog } from "../../providers/local/runtime/jsonl-consent-log";
import { JsonlLinesEraser } from "../../providers/local/runtime/jsonl-erasure";
import { JsonlFile } from "../../providers/local/runtime/jsonl-file";
import { JsonlRevocationClocksEraser } from "../../providers/local/runtime/jsonl-revocation-clocks";
import { JsonlErasureTombstones } from "../../providers/local/runtime/jsonl-tombstones";
import {
  MemoryConsentLog,
  MemorySubscriberDirectory,
  SystemClock,
} from "../../providers/local/runtime/memory";
import { fail, registerCommand } from "../args";
import {
  CONSENT_LOG_FILE,
  DEFAULT_JOURNEY_STATE_DIR,
  DEFAULT_LOCAL_ARCHIVE_DIR,
  localPhoneHashSalt,
  STATE_FILES,
} from "../local-state";
import { forCloudOf, type PerCloud, type StackOptions, stackOutputs } from "../stack";

interface EraseOptions extends StackOptions {
  phone: string;
  state?: string;
  archive?: string;
}

const SALT_ENV = "SMS_PHONE_HASH_SALT";
const SALT_CONFIG = "sms-campaigns:phoneHashSalt";

function requireE164(phone: string): string {
  if (!phone.startsWith("+") || normalizePhoneNumber(phone)?.e164 !== phone) {
    fail(
      "--phone must be a valid E.164 number like +12125550101 (a plus, the country code, then the digits)",
    );
  }
  return phone;
}

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** The state directory's stores, and the local archive when there is one. */
async function localStack(options: EraseOptions): Promise<ErasureStack> {
  const dir = options.state ?? DEFAULT_JOURNEY_STATE_DIR;
  if (!isDirectory(dir))
    fail(`--state ${dir}: no such directory. Pass the state directory 'smsctl journey' used`);
  const archiveDir = options.archive ?? DEFAULT_LOCAL_ARCHIVE_DIR;
  if (options.archive !== undefined && !isDirectory(archiveDir)) {
    fail(`--archive ${archiveDir}: no such directory. Pass the archive directory 'npm start' wrote`);
  }
  const file = (name: string) => join(dir, name);
  const consentLog = new MemoryConsentLog();
  for (const entry of JsonlConsentLog.read(file(CONSENT_LOG_FILE))) consentLog.restore(entry);
  const key = (field: string) => (line: Record<string, unknown>) => String(line[field]);
  return {
    describe: () => `local state ${dir}${isDirectory(archiveDir) ? `, archive ${archiveDir}` : ""}`,
    deps: {
      subscribers: new MemorySubscriberDirectory(JsonlFile.read(file(STATE_FILES.subscribers))),
      stores: [
        new JsonlLinesEraser(file(STATE_FILES.sends), "sends", key("key")),
        new JsonlLinesEraser(
          file(STATE_FILES.journeys),
          "journeys",
          (line) => `${line["journeyId"]}/${line["subscriberId"]}`,
        ),
        new JsonlLinesEraser(file(STATE_FILES.optOutReviews), "opt-out-reviews", (line) =>
          String((line["review"] as { eventId?: string } | undefined)?.eventId ?? line["eventId"]),
        ),
        new JsonlLinesEraser(file(STATE_FILES.optOuts), "opt-outs", key("phoneNumber")),
        new JsonlLinesEraser(
          file(CONSENT_LOG_FILE),
          "consent-log",
          (line) => `${line["phoneNumber"]}/entry#${line["sequence"]}`,
        ),
        // The chain's anchored heads carry the number too; the tombstone keeps the last head's hash.
        new JsonlLinesEraser(
          headsPathOf(file(CONSENT_LOG_FILE)),
          "consent-heads",
          (line) => `${line["phoneNumber"]}/head#${line["sequence"]}`,
        ),
        new JsonlRevocationClocksEraser(file(STATE_FILES.revocations)),
        new JsonlLinesEraser(file(STATE_FILES.subscribers), "subscribers", key("subscriberId")),
      ],
      consentLog,
      ...(isDirectory(archiveDir) ? { archive: new DirectoryArchive(archiveDir) } : {}),
      tombstones: new JsonlErasureTombstones(file(STATE_FILES.erasures)),
    },
  };
}

/** A cloud's erasure connector: the stack's stores under the names its outputs give. */
export type ConnectErasure = (outputs: Record<string, unknown>) => ErasureStack;

/** Each cloud's erasure connector, picked by the outputs' `cloud` as every stack command picks it. */
const ERASURE_CONNECTORS: PerCloud<ConnectErasure> = {
  aws: async () => (await import("../../providers/aws/runtime/erasure-stack")).connectAwsErasure,
  azure: async () => (await import("../../providers/azure/runtime/erasure-stack")).connectAzureErasure,
  gcp: async () => (await import("../../providers/gcp/runtime/erasure-stack")).connectGcpErasure,
};

export const connectErasure = async (outputs: Record<string, unknown>): Promise<ErasureStack> =>
  (await forCloudOf(outputs, ERASURE_CONNECTORS))(outputs);

/** The deployed stack the outputs describe; an output missing or invalid is one line, exit 2. */
async function deployedStack(
  options: EraseOptions,
  connect: (outputs: Record<string, unknown>) => Promise<ErasureStack>,
): Promise<ErasureStack> {
  const outputs = await stackOutputs(options);
  try {
    return await connect(outputs);
  } catch (error) {
    fail((error as Error).message);
  }
}

async function stackSalt(options: EraseOptions): Promise<string> {
  const fromEnv = process.env[SALT_ENV];
  if (fromEnv) return fromEnv;
  if (options.stack === undefined) {
    fail(
      `set ${SALT_ENV} to the stack's phoneHashSalt (pulumi config get ${SALT_CONFIG}) when using --outputs`,
    );
  }
  try {
    const { stdout } = await promisify(execFile)("pulumi", [
      "config",
      "get",
      SALT_CONFIG,
      "--stack",
      options.stack,
    ]);
    const salt = stdout.trim();
    if (salt) return salt;
  } catch {
    // Reported below, in one line.
  }
  fail(
    `stack ${options.stack} has no ${SALT_CONFIG}: set it (pulumi config set --secret ${SALT_CONFIG} "$(openssl rand -hex 32)"), or set ${SALT_ENV}`,
  );
}

/** `connect` is connectErasure; tests pass one aimed at the emulators. */
export async function erase(options: EraseOptions, connect = connectErasure): Promise<void> {
  const phone = requireE164(options.phone);
  const deployed = options.stack !== undefined || options.outputs !== undefined;
  if (deployed && (options.state !== undefined || options.archive !== undefined)) {
    fail("pass either --stack/--outputs (a deployed stack) or --state/--archive (local state), not both");
  }
  const stack = deployed ? await deployedStack(options, connect) : await localStack(options);
  const salt = deployed ? await stackSalt(options) : localPhoneHashSalt();
  const { receipt, tombstone } = await eraseSubscriber(
    phone,
    { ...stack.deps, clock: new SystemClock() },
    salt,
  ).finally(() => stack.close?.());
  process.stdout.write(`${JSON.stringify(receipt)}\n`);
  process.stderr.write(
    `erase: ${receipt.phone} erased from ${stack.describe()}: ${receipt.removed} items and rows removed; tombstone ${tombstone.phoneHash}, receipt sha256 ${tombstone.receiptHash}\n`,
  );
}

registerCommand((program) => {
  program
    .command("erase")
    .description(
      "erase one subscriber everywhere (local state, or a deployed AWS, Azure or GCP stack), keep a salted-hash tombstone, print the receipt (JSON)",
    )
    .requiredOption("--phone <e164>", "the subscriber's number, E.164 (+12125550101)")
    .option(
      "--stack <name>",
      "a deployed AWS, Azure or GCP stack (reads 'pulumi stack output --json'; the cloud's default credentials)",
    )
    .option("--outputs <file>", "a file holding 'pulumi stack output --json' (set SMS_PHONE_HASH_SALT too)")
    .option(
      "--state <dir>",
      `local: the state directory 'smsctl journey' wrote (default ${DEFAULT_JOURNEY_STATE_DIR}/)`,
    )
    .option(
      "--archive <dir>",
      `local: the archive directory 'npm start' wrote (default ${DEFAULT_LOCAL_ARCHIVE_DIR}/ when present)`,
    )
    .action((options: EraseOptions) => erase(options));
});
