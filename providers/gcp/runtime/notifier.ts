import type { Notification, Notifier } from "../../../core/ports";
import type { PublishingTopic } from "./pubsub-topic";

/** Attributes holding the notification's id and subject; the rest are the notification's own. */
export const NOTIFICATION_ID_ATTRIBUTE = "notificationId";
export const SUBJECT_ATTRIBUTE = "subject";

/** A received notification message back into the port's shape (for subscribers and tests). */
export const decodeNotificationMessage = (message: {
  data: Uint8Array;
  attributes: Record<string, string>;
}): Notification => {
  const {
    [NOTIFICATION_ID_ATTRIBUTE]: id = "",
    [SUBJECT_ATTRIBUTE]: subject = "",
    ...attributes
  } = message.attributes;
  return { id, subject, message: Buffer.from(message.data).toString("utf8"), attributes };
};

/**
 * Reply notifications on a Pub/Sub topic: the message text as data, id and subject as attributes
 * (subscribers with exactly-once delivery or their own dedup drop replays by the stable id).
 */
export class PubSubNotifier implements Notifier {
  constructor(private readonly topic: PublishingTopic) {}

  async publish(notification: Notification): Promise<void> {
    await this.topic.publishMessage({
      data: Buffer.from(notification.message, "utf8"),
      attributes: {
        ...notification.attributes,
        [NOTIFICATION_ID_ATTRIBUTE]: notification.id,
        [SUBJECT_ATTRIBUTE]: notification.subject,
      },
    });
  }
}
