import type { Notification, Notifier } from "../../../../core/ports";

export class MemoryNotifier implements Notifier {
  readonly published: Notification[] = [];

  async publish(notification: Notification): Promise<void> {
    this.published.push({ ...notification, attributes: { ...notification.attributes } });
  }
}
