/**
 * Twilio Programmable Messaging on GCP: receipts as status callbacks and replies as incoming-message
 * webhooks, both form-encoded as Twilio posts them (twilio.com/docs/messaging/guides/webhook-request,
 * .../track-outbound-message-status; core/events/formats/twilio.ts decodes them). Twilio reports no
 * price or carrier fee in a callback, and none of our ids: the message log attributes receipts.
 */
import { measureMessage } from "../../../core/campaign/encoding";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import type { FinalStatus } from "./fate";
import type { CarrierFormat } from "./format";

export const TWILIO_API_VERSION = "2010-04-01";
/** The simulated account the callbacks name (AC + 32 hex, as Twilio's SIDs are). */
export const SIMULATED_ACCOUNT_SID = `AC${"5".repeat(32)}`;

/** What Twilio reports for each final status of the carrier (fate.ts): MessageStatus and ErrorCode. */
export const TWILIO_OUTCOMES: Record<
  FinalStatus,
  { status: "delivered" | "undelivered" | "failed"; errorCode?: string }
> = {
  DELIVERED: { status: "delivered" },
  CARRIER_UNREACHABLE: { status: "undelivered", errorCode: "30006" },
  UNREACHABLE: { status: "undelivered", errorCode: "30003" },
  BLOCKED: { status: "undelivered", errorCode: "30004" },
  // The message outlived its ValidityPeriod in Twilio's queue: it was never sent.
  TTL_EXPIRED: { status: "failed", errorCode: "30036" },
  INVALID: { status: "undelivered", errorCode: "30005" },
  SPAM: { status: "undelivered", errorCode: "30007" },
  CARRIER_BLOCKED: { status: "undelivered", errorCode: "30007" },
  UNKNOWN: { status: "undelivered", errorCode: "30008" },
};

/** RawDlrDoneDate: the carrier's done date as YYMMDDhhmm (no time zone; UTC here). */
export const rawDlrDoneDateOf = (at: Date): string => at.toISOString().replace(/\D/g, "").slice(2, 12);

/** A Twilio message SID from one of the carrier's ids: SM + 32 hex. */
export const messageSidOf = (id: string): string => `SM${id.replace(/-/g, "").slice(0, 32).padEnd(32, "0")}`;

const form = (params: Record<string, string | undefined>): Uint8Array =>
  new TextEncoder().encode(
    new URLSearchParams(
      Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ).toString(),
  );

const countryOf = (phone: string) => normalizePhoneNumber(phone)?.country;

export function twilioFormat(accountSid: string = SIMULATED_ACCOUNT_SID): CarrierFormat {
  return {
    // A status callback always names the recipient (To).
    phonelessReceipts: false,
    receipt: (fields) => {
      const outcome = TWILIO_OUTCOMES[fields.status as FinalStatus] ?? TWILIO_OUTCOMES.UNKNOWN;
      // The carrier's message id is what the send returned, so the callback names that same message.
      return form({
        AccountSid: accountSid,
        ApiVersion: TWILIO_API_VERSION,
        ErrorCode: outcome.errorCode,
        From: fields.origination,
        MessageSid: fields.messageId,
        MessageStatus: outcome.status,
        RawDlrDoneDate: outcome.status === "failed" ? undefined : rawDlrDoneDateOf(fields.reportedAt),
        SmsSid: fields.messageId,
        SmsStatus: outcome.status,
        To: fields.destination,
      });
    },
    reply: (fields) => {
      const sid = messageSidOf(fields.inboundMessageId);
      return form({
        ToCountry: countryOf(fields.to),
        SmsMessageSid: sid,
        NumMedia: "0",
        SmsSid: sid,
        SmsStatus: "received",
        Body: fields.body,
        FromCountry: countryOf(fields.from),
        To: fields.to,
        NumSegments: String(measureMessage(fields.body).segments),
        MessageSid: sid,
        AccountSid: accountSid,
        From: fields.from,
        ApiVersion: TWILIO_API_VERSION,
      });
    },
    // Twilio forwards the body only; it names no keyword.
    keywordOf: () => "",
  };
}
