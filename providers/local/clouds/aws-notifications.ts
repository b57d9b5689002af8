/** The AWS stack's notifications as a subscriber sees them: SNS envelopes on a subscribed SQS queue. */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { NOTIFICATION_ID_ATTRIBUTE } from "../../aws/runtime/notifier";
import { receiveAllOnce } from "./aws-dead-letters";

interface SnsEnvelope {
  MessageAttributes?: Record<string, { Value?: string }>;
}

/** The notification id an SNS envelope carries ("" when it has none). */
export const notificationIdOf = (body: string): string =>
  (JSON.parse(body) as SnsEnvelope).MessageAttributes?.[NOTIFICATION_ID_ATTRIBUTE]?.Value ?? "";

/** Reads every notification on the queue once (they stay invisible for the rest of the run). */
export async function readNotificationIds(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const ids: string[] = [];
  await receiveAllOnce(sqs, queueUrl, (body) => ids.push(notificationIdOf(body)));
  return ids;
}
