import type { SendRequest, SendResult, SmsSender } from "../../core/ports";

/** A sender that keeps every request it accepts; it refuses `failFor`, like an unreachable carrier. */
export class RecordingSender implements SmsSender {
  readonly requests: SendRequest[] = [];
  constructor(private readonly options: { failFor?: string; idPrefix?: string } = {}) {}
  async send(request: SendRequest): Promise<SendResult> {
    if (request.to === this.options.failFor) throw new Error("carrier unreachable");
    this.requests.push(request);
    return { status: "sent", messageId: `${this.options.idPrefix ?? "msg"}-${request.idempotencyKey}` };
  }
}
