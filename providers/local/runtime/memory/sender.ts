import { measureMessage } from "../../../../core/campaign/encoding";
import type { SendRequest, SendResult, SmsSender } from "../../../../core/ports";

export type SendBehaviour = (request: SendRequest, attempt: number) => SendResult;

/**
 * Records every request. By default every send succeeds with a message id derived from the
 * idempotency key, and a repeated key returns the first result without recording a second delivery,
 * like a provider that deduplicates. `respondWith` scripts other outcomes.
 */
export class MemorySmsSender implements SmsSender {
  /** Every call, duplicates included. */
  readonly requests: SendRequest[] = [];
  /** Requests that produced a new "sent" message (what a phone would receive). */
  readonly delivered: SendRequest[] = [];
  private readonly results = new Map<string, SendResult>();
  private behaviour: SendBehaviour = (request) => ({
    status: "sent",
    messageId: `msg-${request.idempotencyKey}`,
    // The parts a provider bills, as it reports them.
    parts: measureMessage(request.body).segments,
  });

  async send(request: SendRequest): Promise<SendResult> {
    this.requests.push({ ...request });
    const previous = this.results.get(request.idempotencyKey);
    if (previous?.status === "sent") return previous;
    const attempt = this.requests.filter((r) => r.idempotencyKey === request.idempotencyKey).length;
    const result = this.behaviour(request, attempt);
    this.results.set(request.idempotencyKey, result);
    if (result.status === "sent") this.delivered.push({ ...request });
    return result;
  }

  respondWith(behaviour: SendBehaviour): void {
    this.behaviour = behaviour;
  }

  /** Messages that reached a number. */
  to(phoneNumber: string): SendRequest[] {
    return this.delivered.filter((r) => r.to === phoneNumber);
  }
}
