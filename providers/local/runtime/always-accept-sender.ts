import { measureMessage } from "../../../core/campaign/encoding";
import { sendEventIdOf } from "../../../core/campaign/send-key";
import type { SendRequest, SendResult, SmsSender } from "../../../core/ports";

/** The message id the local sender gives a send: derived from its key, so a local log can name it again. */
export const localMessageIdOf = (idempotencyKey: string): string =>
  `local-${sendEventIdOf(idempotencyKey, "message")}`;

/**
 * The minimal in-process sender behind `--provider local`: every send succeeds, and a repeated
 * idempotency key returns the first message id (as a deduplicating provider would). Replaceable by
 * the full simulated carrier, which implements the same SmsSender port.
 */
export class AlwaysAcceptSender implements SmsSender {
  readonly accepted = new Map<string, SendRequest>();

  async send(request: SendRequest): Promise<SendResult> {
    this.accepted.set(request.idempotencyKey, request);
    return {
      status: "sent",
      messageId: localMessageIdOf(request.idempotencyKey),
      parts: measureMessage(request.body).segments,
    };
  }
}
