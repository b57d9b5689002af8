import type { MessageSender } from "./notifier";

/** The next chunk of an audience run: where it starts, and which upload (blob etag) it reads. */
export interface EnrollmentHandOff {
  kind: "enrollment-chunk";
  campaignId: string;
  fromLine: number;
  upload?: string;
}

/**
 * Hands the next chunk of an audience to the enrollment queue (ENROLLMENT_QUEUE), which the same
 * function app consumes. The message id names campaign, upload and line, so the queue's duplicate
 * detection drops the second hand-off of a retried chunk, while a new upload starts its own run.
 */
export class ServiceBusEnrollmentQueue {
  constructor(private readonly sender: MessageSender) {}

  async handOn(next: Omit<EnrollmentHandOff, "kind">): Promise<void> {
    const body: EnrollmentHandOff = { kind: "enrollment-chunk", ...next };
    await this.sender.sendMessages({
      messageId: handOffIdOf(next),
      contentType: "application/json",
      subject: "enrollment-chunk",
      body,
    });
  }
}

/** At most 128 characters (Service Bus): campaign ids are at most 63, etags about 20. */
export const handOffIdOf = (next: Omit<EnrollmentHandOff, "kind">): string =>
  `${next.campaignId}:${next.fromLine}:${next.upload ?? ""}`.slice(0, 128);
