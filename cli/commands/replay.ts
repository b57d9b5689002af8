/**
 * `smsctl replay --from DATE [--to DATE]`: archived events back out, oldest first. From an S3 bucket
 * (--bucket) or a local copy of the archive (--dir: what `npm start` writes, or `aws s3 sync`); into a
 * Kinesis stream (--stream) so every consumer reprocesses them, or as canonical JSON Lines on stdout.
 * stdout carries the result (the events, or with --stream the counts); notes and warnings go to
 * stderr. Safe to run twice, also over a day already processed: published records are marked as
 * replayed, which the responses consumer reprocesses (idempotent on the event id) and the archive
 * and analytics consumers skip (core/processing/replay.ts). Printed JSON Lines carry no mark.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { eventToJson } from "../../core/events/decode";
import type { ArchiveStore, EventPublisher } from "../../core/ports";
import {
  archiveDayPrefix,
  type ReplayRange,
  readArchiveRange,
  replayArchive,
  replayDates,
} from "../../core/processing/replay";
import { DirectoryArchive } from "../../providers/local/runtime/directory-archive";
import { MemoryMessageLog } from "../../providers/local/runtime/memory";
import { fail, registerCommand } from "../args";

export interface ReplayOptions {
  from: string;
  to?: string;
  campaign?: string;
  bucket?: string;
  prefix?: string;
  dir?: string;
  stream?: string;
  region?: string;
  s3Endpoint?: string;
  kinesisEndpoint?: string;
}

async function archiveOf(options: ReplayOptions): Promise<ArchiveStore> {
  if (options.dir) return new DirectoryArchive(options.dir, { keyPrefix: options.prefix });
  const [{ S3Client }, { S3ArchiveStore }, { clientConfigOf }] = await Promise.all([
    import("@aws-sdk/client-s3"),
    import("../../providers/aws/runtime/archive-store"),
    import("../../providers/aws/runtime/client-config"),
  ]);
  const config = clientConfigOf({ region: options.region, endpoints: { s3: options.s3Endpoint } }, "s3");
  return new S3ArchiveStore(new S3Client(config), options.bucket!, { keyPrefix: options.prefix });
}

/** A --dir that is missing or not a directory is a usage error, not an empty archive. */
async function requireDirectory(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (!found)
    fail(
      `--dir ${dir}: no such directory. Pass the archive's directory (npm start writes .sms-local/archive)`,
    );
  if (!found.isDirectory())
    fail(`--dir ${dir} is a file. Pass the archive's directory, e.g. .sms-local/archive`);
}

const rangeOf = (options: ReplayOptions): ReplayRange => ({
  from: options.from,
  to: options.to ?? options.from,
  campaignId: options.campaign,
});

/** A malformed or inverted range is a usage error, checked before the archive is opened. */
function requireRange(options: ReplayOptions): void {
  try {
    replayDates(rangeOf(options));
  } catch (error) {
    if (error instanceof RangeError)
      fail(`${error.message}. Pass --from and --to as YYYY-MM-DD, --to not before --from`);
    throw error;
  }
}

/** Where the range's objects were looked for, for the warning when there are none. */
function searchedAt(options: ReplayOptions, range: ReplayRange): string {
  const day = archiveDayPrefix(range.from === range.to ? range.from : `{${range.from}..${range.to}}`);
  const key = `${options.prefix ?? ""}${day}`;
  return options.dir ? join(options.dir, key) : `s3://${options.bucket}/${key}`;
}

async function kinesisPublisher(options: ReplayOptions): Promise<EventPublisher> {
  const [{ createKinesisClient }, { KinesisEventPublisher }, { SystemClock }] = await Promise.all([
    import("../../providers/aws/runtime/kinesis-client"),
    import("../../providers/aws/runtime/event-publisher"),
    import("../../providers/local/runtime/memory/clock"),
  ]);
  const client = createKinesisClient({
    region: options.region,
    endpoints: { kinesis: options.kinesisEndpoint },
  });
  return new KinesisEventPublisher(client, options.stream!, new SystemClock());
}

export interface ReplayResult {
  summary: Record<string, number>;
  /** One line for stderr when the replay did not do what was asked (exit 1); absent when it did. */
  warning?: string;
}

/**
 * Runs a replay. Without a publisher the events themselves are the result and go to `write`;
 * with one, only the counts are. Exported for tests.
 */
export async function runReplay(
  options: ReplayOptions,
  deps: { archive: ArchiveStore; publisher?: EventPublisher; write: (line: string) => void },
): Promise<ReplayResult> {
  const range = rangeOf(options);
  const source = { archive: deps.archive, messages: new MemoryMessageLog() };
  let summary: Record<string, number>;
  if (deps.publisher) {
    const outcome = await replayArchive({ ...source, publisher: deps.publisher }, range);
    const { objects, events, published } = outcome;
    summary = { objects, events, published, failed: outcome.failed.length };
  } else {
    summary = await readArchiveRange(source, range, async (events) => {
      for (const event of events) deps.write(eventToJson(event));
    });
  }
  return { summary, warning: warningOf(summary, options, range) };
}

function warningOf(summary: Record<string, number>, options: ReplayOptions, range: ReplayRange) {
  if (summary.objects === 0) {
    return `no archive objects under ${searchedAt(options, range)}. Check --from/--to (UTC dates of the events) and --dir, --bucket or --prefix`;
  }
  if (summary.events === 0 && range.campaignId !== undefined) {
    return `none of the ${summary.objects} archive objects holds an event of campaign "${range.campaignId}". Check --campaign`;
  }
  if (summary.failed > 0) {
    return `the stream refused ${summary.failed} of ${summary.events} events. Run the same replay again: it changes nothing already processed`;
  }
  return undefined;
}

registerCommand((program) =>
  program
    .command("replay")
    .description(
      "Replay archived events (UTC dates, inclusive) into a Kinesis stream, or print them as canonical JSON Lines.",
    )
    .requiredOption("--from <date>", "first UTC date, YYYY-MM-DD")
    .option("--to <date>", "last UTC date, YYYY-MM-DD (default: --from)")
    .option("--campaign <id>", "only this campaign's events")
    .option("--bucket <name>", "archive bucket (S3)")
    .option(
      "--prefix <prefix>",
      "key prefix before events/dt=..., if the archive is not at the root of the bucket or --dir",
    )
    .option("--dir <path>", "a local copy of the archive instead of a bucket")
    .option("--stream <name>", "publish into this Kinesis stream; without it, print JSON Lines to stdout")
    .option("--region <region>", "AWS region (default: the SDK's)")
    .option("--s3-endpoint <url>", "S3 endpoint override (emulators)")
    .option("--kinesis-endpoint <url>", "Kinesis endpoint override (emulators)")
    .action(async (options: ReplayOptions) => {
      if (!options.bucket === !options.dir) fail("pass exactly one of --bucket NAME or --dir PATH");
      requireRange(options);
      if (options.dir) await requireDirectory(options.dir);
      const archive = await archiveOf(options);
      const publisher = options.stream ? await kinesisPublisher(options) : undefined;
      const result = await runReplay(options, {
        archive,
        publisher,
        write: (line) => process.stdout.write(`${line}\n`),
      });
      // The counts are the result of a publish; next to printed events they are a note.
      if (publisher) process.stdout.write(`${JSON.stringify(result.summary)}\n`);
      else process.stderr.write(`smsctl replay: ${JSON.stringify(result.summary)}\n`);
      if (result.warning) {
        process.stderr.write(`smsctl replay: warning: ${result.warning}\n`);
        process.exitCode = 1;
      }
    }),
);
