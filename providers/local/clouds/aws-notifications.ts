/** The AWS stack's notifications as a subscriber sees them: SNS envelopes on a subscribed SQS queue. */
import { ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { NOTIFICATION_ID_ATTRIBUTE } from "../../aws/runtime/notifier";

interface SnsEnvelope {
  MessageAttributes?: Record<string, { Value?: string }>;
}

/** The notification id an SNS envelope carries ("" when it has none). */
export const notificationIdOf = (body: string): string =>
  (JSON.parse(body) as SnsEnvelope).MessageAttributes?.[NOTIFICATION_ID_ATTRIBUTE]?.Value ?? "";

/** Reads every message on the queue once (they stay invisible for the rest of the run). */
export async function readNotificationIds(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 3600,
      }),
    );
    if (Messages.length === 0) return ids;
    for (const message of Messages) ids.push(notificationIdOf(message.Body ?? "{}"));
  }
}
