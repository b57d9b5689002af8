import type { Twilio } from "twilio";
import type { SendRequest, SendResult, SmsSender } from "../../../core/ports";

export interface TwilioSenderConfig {
  /** The Messaging Service that picks the sender number (and handles opt-out keywords). */
  messagingServiceSid: string;
  /** Our webhook for status callbacks; it feeds Pub/Sub. */
  statusCallbackUrl: string;
  /** Validity period in seconds, when the request carries no ttl. */
  validityPeriodSeconds?: number;
}

/** Twilio error codes we map; https://www.twilio.com/docs/api/errors */
const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;
const TWILIO_INVALID_NUMBERS = new Set([21211, 21214, 21217, 21407, 21421, 21614]);
const TWILIO_TOO_MANY_REQUESTS = 20429;

interface TwilioRestException {
  status?: number;
  code?: number;
  message?: string;
}

/** Twilio's price is a negative string in the account currency; we keep USD prices only. */
function priceOf(price: string | null | undefined, unit: string | null | undefined): number | undefined {
  if (!price || (unit && unit.toUpperCase() !== "USD")) return undefined;
  const value = Math.abs(Number(price));
  return Number.isFinite(value) ? value : undefined;
}

/** Twilio Programmable Messaging, the SMS channel on GCP (Google has no SMS API). */
export class TwilioSmsSender implements SmsSender {
  constructor(
    private readonly client: Twilio,
    private readonly config: TwilioSenderConfig,
  ) {}

  async send(request: SendRequest): Promise<SendResult> {
    const validityPeriod = request.ttlSeconds ?? this.config.validityPeriodSeconds;
    try {
      const message = await this.client.messages.create({
        to: request.to,
        body: request.body,
        messagingServiceSid: this.config.messagingServiceSid,
        statusCallback: this.config.statusCallbackUrl,
        ...(request.from ? { from: request.from } : {}),
        ...(request.maxPriceUsd !== undefined ? { maxPrice: request.maxPriceUsd } : {}),
        ...(validityPeriod !== undefined ? { validityPeriod } : {}),
      });
      const parts = Number(message.numSegments);
      const priceUsd = priceOf(message.price, message.priceUnit);
      return {
        status: "sent",
        messageId: message.sid,
        ...(parts > 0 ? { parts } : {}),
        ...(priceUsd !== undefined ? { priceUsd } : {}),
      };
    } catch (error) {
      const e = (error ?? {}) as TwilioRestException;
      const reason = `${e.code ?? e.status ?? "error"}: ${e.message ?? String(error)}`;
      if (e.status === 429 || e.code === TWILIO_TOO_MANY_REQUESTS) return { status: "throttled", reason };
      if (e.code === TWILIO_UNSUBSCRIBED_RECIPIENT) return { status: "opted_out", reason };
      if (e.code !== undefined && TWILIO_INVALID_NUMBERS.has(e.code))
        return { status: "invalid_number", reason };
      return { status: "failed", reason, retryable: e.status === undefined || e.status >= 500 };
    }
  }
}
