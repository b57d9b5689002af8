import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { FailedBatchRecord, OnFailureDestination } from "./types";

/** The on-failure destination of an event source mapping: one SQS message per abandoned batch. */
export class SqsOnFailureDestination implements OnFailureDestination {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(record: FailedBatchRecord): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(record) }),
    );
  }
}
