import type { SmsClient } from "@azure/communication-sms";
import { encodeAcsTag } from "../../../core/events/decode";
import type { SendRequest, SendResult, SmsSender } from "../../../core/ports";

export interface AcsSenderConfig {
  /** The ACS phone number (E.164) or alphanumeric sender id; a request's `from` overrides it. */
  from: string;
}

interface AcsRestError {
  statusCode?: number;
  message?: string;
  response?: { headers?: { get(name: string): string | undefined } };
}

function resultOfStatus(status: number, reason: string, retryAfterMs?: number): SendResult {
  if (status === 429) return { status: "throttled", reason, retryAfterMs };
  if (/opt(ed)?[\s-]?out|unsubscribed|blocked by the recipient/i.test(reason))
    return { status: "opted_out", reason };
  if (status === 400 && /number|recipient|\bto\b/i.test(reason)) return { status: "invalid_number", reason };
  return { status: "failed", reason, retryable: status >= 500 || status === 408 };
}

/**
 * Azure Communication Services SMS. Delivery reports are on, and the `tag` carries our ids in the
 * query-string form the ACS decoder reads (`campaignId=...&journeyId=...&subscriberId=...`, built
 * by encodeAcsTag). The SDK adds Repeatability-Request-ID/First-Sent headers to every request.
 */
export class AcsSmsSender implements SmsSender {
  constructor(
    private readonly client: SmsClient,
    private readonly config: AcsSenderConfig,
  ) {}

  async send(request: SendRequest): Promise<SendResult> {
    const tag = encodeAcsTag(request);
    try {
      const [result] = await this.client.send(
        { from: request.from ?? this.config.from, to: [request.to], message: request.body },
        { enableDeliveryReport: true, ...(tag ? { tag } : {}) },
      );
      if (!result)
        return { status: "failed", reason: "ACS returned no result for the recipient", retryable: true };
      if (result.successful && result.messageId) return { status: "sent", messageId: result.messageId };
      return resultOfStatus(result.httpStatusCode, result.errorMessage ?? `HTTP ${result.httpStatusCode}`);
    } catch (error) {
      const e = (error ?? {}) as AcsRestError;
      if (e.statusCode === undefined)
        return { status: "failed", reason: e.message ?? String(error), retryable: true };
      const retryAfter = Number(e.response?.headers?.get("retry-after"));
      return resultOfStatus(
        e.statusCode,
        e.message ?? `HTTP ${e.statusCode}`,
        retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
  }
}
