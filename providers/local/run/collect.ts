/** Reads back what the functions left behind: the archive's Parquet files and the dead-letter queue. */
import { ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SmsEvent } from "../../../core/events/schema";
import type { ArchiveStore } from "../../../core/ports";
import { ARCHIVE_PREFIX, readArchiveObject } from "../../../core/processing/archive";
import type { FailedBatchRecord } from "../poller/types";
import { DirectoryArchive } from "../runtime/directory-archive";

export interface DownloadedArchive {
  files: number;
  /** Every row of every file, as the archive handler wrote it. */
  events: SmsEvent[];
}

/**
 * Copies every archive object into `dir` under its own key (the bucket's layout, events/dt=.../),
 * so `smsctl replay --dir` reads it as it would read the bucket, and reads its rows.
 */
export async function downloadArchive(archive: ArchiveStore, dir: string): Promise<DownloadedArchive> {
  const keys = await archive.list(ARCHIVE_PREFIX);
  const mirror = new DirectoryArchive(dir);
  const events: SmsEvent[] = [];
  for (const key of keys) {
    const body = await archive.get(key);
    if (!body) continue;
    await mirror.put(key, body);
    events.push(...(await readArchiveObject(body)));
  }
  return { files: keys.length, events };
}

export interface DeadLetterCounts {
  /** Records a function could not decode and sent to the dead letter itself, by function. */
  undecodable: Record<string, number>;
  /** Records in batches the poller gave up on (on-failure destination), by function. */
  abandoned: Record<string, number>;
  messages: number;
}

const bump = (counts: Record<string, number>, key: string, by: number) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Sorts one dead-letter message into its kind and function. */
export function classifyDeadLetter(body: string, counts: DeadLetterCounts): void {
  counts.messages++;
  const parsed = JSON.parse(body) as Partial<FailedBatchRecord> & { source?: string };
  if (parsed.KinesisBatchInfo && parsed.requestContext) {
    const functionName = parsed.requestContext.functionArn.split(":function:")[1] ?? "unknown";
    bump(counts.abandoned, functionName, parsed.KinesisBatchInfo.batchSize);
  } else {
    bump(counts.undecodable, (parsed.source ?? "unknown").split(":")[0], 1);
  }
}

/** Reads every message of the dead-letter queue once (they stay invisible for the rest of the run). */
export async function readDeadLetters(sqs: SQSClient, queueUrl: string): Promise<DeadLetterCounts> {
  const counts: DeadLetterCounts = { undecodable: {}, abandoned: {}, messages: 0 };
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 3600,
      }),
    );
    if (Messages.length === 0) return counts;
    for (const message of Messages) classifyDeadLetter(message.Body ?? "{}", counts);
  }
}
