/**
 * A Service Bus queue or topic in this process (no Service Bus emulator runs without Docker): the
 * Azure adapters (ServiceBusDeadLetter, ServiceBusNotifier, ServiceBusEnrollmentQueue) send to it
 * through the SDK sender's `sendMessages` surface, unchanged, and the run reads what arrived.
 * Duplicate detection drops a second message with the same message id, as the stack's queues
 * with `requiresDuplicateDetection` do (the enrollment queue relies on it for hand-offs).
 */
import type { ServiceBusMessage } from "@azure/service-bus";
import type { MessageSender } from "../../azure/runtime/notifier";

export class InProcessQueue {
  readonly messages: ServiceBusMessage[] = [];
  private readonly seenIds = new Set<string>();

  constructor(
    readonly name: string,
    private readonly options: { duplicateDetection?: boolean } = {},
  ) {}

  readonly sender: MessageSender = {
    sendMessages: async (messages) => {
      for (const message of [messages].flat(2) as ServiceBusMessage[]) this.accept(message);
    },
  };

  /** Takes the oldest message off the queue (undefined when empty). */
  receive(): ServiceBusMessage | undefined {
    return this.messages.shift();
  }

  private accept(message: ServiceBusMessage): void {
    const id = message.messageId === undefined ? undefined : String(message.messageId);
    if (this.options.duplicateDetection && id !== undefined) {
      if (this.seenIds.has(id)) return;
      this.seenIds.add(id);
    }
    this.messages.push(message);
  }
}
