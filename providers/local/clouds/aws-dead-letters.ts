/** The AWS stack's dead-letter queue, read back and sorted: a function's own entries, or a batch the poller gave up on. */
import { ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { FailedBatchRecord } from "../poller/types";
import { countDeadLetter, type DeadLetterCounts, emptyDeadLetterCounts } from "../run/collect";
import { FUNCTION_NAMES } from "./aws-consumers";

const CONSUMER_BY_FUNCTION = new Map<string, string>(
  Object.entries(FUNCTION_NAMES).map(([consumer, functionName]) => [functionName, consumer]),
);

/** Sorts one dead-letter message into its kind and consumer. */
export function classifyDeadLetter(body: string, counts: DeadLetterCounts): void {
  counts.messages++;
  const parsed = JSON.parse(body) as Partial<FailedBatchRecord> & { source?: string };
  if (parsed.KinesisBatchInfo && parsed.requestContext) {
    const functionName = parsed.requestContext.functionArn.split(":function:")[1] ?? "unknown";
    countDeadLetter(
      counts.abandoned,
      CONSUMER_BY_FUNCTION.get(functionName) ?? functionName,
      parsed.KinesisBatchInfo.batchSize,
    );
  } else {
    countDeadLetter(counts.undecodable, (parsed.source ?? "unknown").split(":")[0], 1);
  }
}

/** Reads every message of the dead-letter queue once (they stay invisible for the rest of the run). */
export async function readDeadLetters(sqs: SQSClient, queueUrl: string): Promise<DeadLetterCounts> {
  const counts = emptyDeadLetterCounts();
  await receiveAllOnce(sqs, queueUrl, (body) => classifyDeadLetter(body, counts));
  return counts;
}

/** Hands each message body on the queue to `take` once; they stay invisible for the rest of the run. */
export async function receiveAllOnce(
  sqs: SQSClient,
  queueUrl: string,
  take: (body: string) => void,
): Promise<void> {
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 3600,
      }),
    );
    if (Messages.length === 0) return;
    for (const message of Messages) take(message.Body ?? "{}");
  }
}
