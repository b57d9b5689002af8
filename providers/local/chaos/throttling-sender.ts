/** A sender that answers a share of the sends 429 (throttled) before the carrier sees them. */
import type { SendRequest, SendResult, SmsSender } from "../../../core/ports";
import type { FaultInjector } from "./fault-injector";

export class ThrottlingSender implements SmsSender {
  constructor(
    private readonly inner: SmsSender,
    private readonly faults: FaultInjector,
  ) {}

  async send(request: SendRequest): Promise<SendResult> {
    if (this.faults.strikes("sender")) {
      return { status: "throttled", reason: "429 Too Many Requests (chaos)", retryAfterMs: 1_000 };
    }
    return this.inner.send(request);
  }
}
