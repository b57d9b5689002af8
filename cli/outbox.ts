/**
 * The local outbox: every message a local send accepted, one JSON line each in DIR/sends.jsonl
 * (`{at, to, body, key}`), so the user can see what was sent. Same lines as `smsctl journey`'s log.
 */
import { appendFileSync } from "node:fs";
import type { Clock, SendRequest, SendResult, SmsSender } from "../core/ports";

export class OutboxSender implements SmsSender {
  constructor(
    private readonly inner: SmsSender,
    private readonly path: string,
    private readonly clock: Clock,
  ) {}

  async send(request: SendRequest): Promise<SendResult> {
    const result = await this.inner.send(request);
    if (result.status === "sent") {
      const line = {
        at: this.clock.now().toISOString(),
        to: request.to,
        body: request.body,
        key: request.idempotencyKey,
      };
      appendFileSync(this.path, `${JSON.stringify(line)}\n`);
    }
    return result;
  }
}
