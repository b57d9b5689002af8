import { randomUUID } from "node:crypto";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DeadLetter, DeadLetterEntry } from "../../../core/ports";

/** The SQS message body: JSON, with the raw record as base64 so any bytes survive. */
export interface DeadLetterBody {
  raw: string;
  reason: string;
  source: string;
  receivedAt: string;
}

export const encodeDeadLetter = (entry: DeadLetterEntry): string =>
  JSON.stringify({
    raw: Buffer.from(entry.raw).toString("base64"),
    reason: entry.reason,
    source: entry.source,
    receivedAt: entry.receivedAt,
  } satisfies DeadLetterBody);

export const decodeDeadLetter = (body: string): DeadLetterEntry => {
  const parsed = JSON.parse(body) as DeadLetterBody;
  return {
    raw: new Uint8Array(Buffer.from(parsed.raw, "base64")),
    reason: parsed.reason,
    source: parsed.source,
    receivedAt: parsed.receivedAt,
  };
};

/** Undecodable records go to an SQS queue, never dropped. */
export class SqsDeadLetter implements DeadLetter {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(entry: DeadLetterEntry): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: encodeDeadLetter(entry),
        // A FIFO queue needs a group; a fresh deduplication id keeps two identical entries apart.
        ...(this.queueUrl.endsWith(".fifo")
          ? { MessageGroupId: "dead-letter", MessageDeduplicationId: randomUUID() }
          : {}),
        MessageAttributes: {
          reason: { DataType: "String", StringValue: entry.reason.slice(0, 256) || "unknown" },
          source: { DataType: "String", StringValue: entry.source || "unknown" },
        },
      }),
    );
  }
}
