import { createHash } from "node:crypto";
import { type MessageAttributeValue, PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Notification, Notifier } from "../../../core/ports";

/** Message attribute carrying Notification.id, so subscribers can deduplicate on any topic type. */
export const NOTIFICATION_ID_ATTRIBUTE = "notification_id";

const SUBJECT_MAX = 100;
const DEDUPLICATION_ID_MAX = 128;

/** SNS subjects: ASCII, no line breaks, at most 100 characters (email endpoints show them). */
export const snsSubject = (subject: string): string =>
  subject
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .slice(0, SUBJECT_MAX)
    .trim() || "notification";

/** FIFO deduplication ids allow 128 characters; longer ids are hashed so they stay stable. */
export const deduplicationIdOf = (id: string): string =>
  id.length <= DEDUPLICATION_ID_MAX && /^[\x21-\x7e]+$/.test(id)
    ? id
    : createHash("sha256").update(id).digest("hex");

/** SNS rejects empty attribute values, so those are left out. */
const messageAttributes = (notification: Notification): Record<string, MessageAttributeValue> => {
  const entries = Object.entries(notification.attributes).filter(([, value]) => value !== "");
  return Object.fromEntries(
    [...entries, [NOTIFICATION_ID_ATTRIBUTE, notification.id]].map(([name, value]) => [
      name,
      { DataType: "String", StringValue: value },
    ]),
  );
};

/**
 * Notifications on an SNS topic. On a FIFO topic (ARN ends in .fifo) the deduplication id is the
 * notification id, so a replayed batch's second publish is dropped by SNS itself.
 */
export class SnsNotifier implements Notifier {
  private readonly fifo: boolean;

  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {
    this.fifo = topicArn.endsWith(".fifo");
  }

  async publish(notification: Notification): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: snsSubject(notification.subject),
        Message: notification.message,
        MessageAttributes: messageAttributes(notification),
        ...(this.fifo
          ? {
              MessageGroupId: notification.attributes["campaignId"] || "notifications",
              MessageDeduplicationId: deduplicationIdOf(notification.id),
            }
          : {}),
      }),
    );
  }
}
