import type { ServiceBusSender } from "@azure/service-bus";
import type { Notification, Notifier } from "../../../core/ports";

/** The part of the SDK's sender the Service Bus adapters use (tests pass a fake of just this). */
export type MessageSender = Pick<ServiceBusSender, "sendMessages">;

/**
 * Notifications on a Service Bus topic (NOTIFICATION_TOPIC). The message id is the notification
 * id, so the topic's duplicate detection drops a replayed notification within its window.
 */
export class ServiceBusNotifier implements Notifier {
  constructor(private readonly sender: MessageSender) {}

  async publish(notification: Notification): Promise<void> {
    await this.sender.sendMessages({
      messageId: notification.id,
      subject: notification.subject,
      body: notification.message,
      contentType: "text/plain",
      applicationProperties: notification.attributes,
    });
  }
}
