import type { SendRequest, SendResult, SmsSender } from "../ports";
import { measureMessage } from "./encoding";
import { sendEventIdOf } from "./send-key";

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
      messageId: `local-${sendEventIdOf(request.idempotencyKey, "message")}`,
      parts: measureMessage(request.body).segments,
    };
  }
}
