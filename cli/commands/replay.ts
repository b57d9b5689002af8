/**
 * `smsctl replay --from DATE [--to DATE]`: archived events back out, oldest first. From an S3 bucket
 * (--bucket) or a local copy of the archive (--dir, e.g. after `aws s3 sync`); into a Kinesis stream
 * (--stream) so every consumer reprocesses them, or as canonical JSON Lines on stdout. Safe to run
 * twice: every consumer is idempotent on the event id.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { eventToJson } from "../../core/events/decode";
import type { ArchiveStore, EventPublisher } from "../../core/ports";
import { type ReplayRange, readArchiveRange, replayArchive } from "../../core/processing/replay";
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

/** The archive as files under a directory, keys as relative paths: a local mirror of the bucket. */
export class DirectoryArchive implements ArchiveStore {
  constructor(private readonly root: string) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(join(this.root, key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    // Only the directory that can hold the prefix is read: dt= partitions keep that small.
    const base = join(this.root, prefix.slice(0, prefix.lastIndexOf("/") + 1));
    let entries: string[];
    try {
      entries = await readdir(base, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return entries
      .map((entry) => relative(this.root, join(base, entry)).split(sep).join("/"))
      .filter((key) => key.startsWith(prefix) && key.endsWith(".parquet"))
      .sort();
  }
}

async function archiveOf(options: ReplayOptions): Promise<ArchiveStore> {
  if (options.dir) return new DirectoryArchive(options.dir);
  const [{ S3Client }, { S3ArchiveStore }, { clientConfigOf }] = await Promise.all([
    import("@aws-sdk/client-s3"),
    import("../../providers/aws/runtime/archive-store"),
    import("../../providers/aws/runtime/client-config"),
  ]);
  const config = clientConfigOf({ region: options.region, endpoints: { s3: options.s3Endpoint } }, "s3");
  return new S3ArchiveStore(new S3Client(config), options.bucket!, { keyPrefix: options.prefix });
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

/** Runs a replay; returns the summary line and whether anything failed. Exported for tests. */
export async function runReplay(
  options: ReplayOptions,
  deps: { archive: ArchiveStore; publisher?: EventPublisher; write: (line: string) => void },
): Promise<{ summary: Record<string, number>; ok: boolean }> {
  const range: ReplayRange = {
    from: options.from,
    to: options.to ?? options.from,
    campaignId: options.campaign,
  };
  if (deps.publisher) {
    const outcome = await replayArchive({ archive: deps.archive, publisher: deps.publisher }, range);
    for (const event of outcome.failed) deps.write(eventToJson(event));
    const { objects, events, published } = outcome;
    return {
      summary: { objects, events, published, failed: outcome.failed.length },
      ok: outcome.failed.length === 0,
    };
  }
  const read = await readArchiveRange(deps.archive, range, async (events) => {
    for (const event of events) deps.write(eventToJson(event));
  });
  return { summary: read, ok: true };
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
    .option("--prefix <prefix>", "key prefix inside the bucket, if the archive is not at its root")
    .option("--dir <path>", "a local copy of the archive instead of a bucket")
    .option("--stream <name>", "publish into this Kinesis stream; without it, print JSON Lines to stdout")
    .option("--region <region>", "AWS region (default: the SDK's)")
    .option("--s3-endpoint <url>", "S3 endpoint override (emulators)")
    .option("--kinesis-endpoint <url>", "Kinesis endpoint override (emulators)")
    .action(async (options: ReplayOptions) => {
      if (!options.bucket === !options.dir) fail("pass exactly one of --bucket NAME or --dir PATH");
      const archive = await archiveOf(options);
      const publisher = options.stream ? await kinesisPublisher(options) : undefined;
      let result: Awaited<ReturnType<typeof runReplay>>;
      try {
        // Failed events go to stdout as JSON Lines when publishing, so they can be replayed again.
        result = await runReplay(options, {
          archive,
          publisher,
          write: (line) => process.stdout.write(`${line}\n`),
        });
      } catch (error) {
        if (error instanceof RangeError) fail(`${error.message}. Pass --from and --to as YYYY-MM-DD`);
        throw error;
      }
      process.stderr.write(`${JSON.stringify(result.summary)}\n`);
      if (!result.ok) process.exitCode = 1;
    }),
);
