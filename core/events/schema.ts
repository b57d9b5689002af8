// zod/mini: the same validation as zod's classic API, a fraction of its bundle size (the Lambda
// handlers decode with this schema; classic zod costs ~120 KB per bundle).
import * as z from "zod/mini";

/** Bump when a field changes meaning; consumers and the archive read this. */
export const SCHEMA_VERSION = 1 as const;

export const EVENT_KINDS = ["queued", "sent", "delivered", "failed", "opted_out", "received"] as const;
export const PROVIDERS = ["aws-pinpoint", "aws-eum", "azure-acs", "twilio", "local"] as const;
export const MESSAGE_TYPES = ["transactional", "promotional"] as const;

const e164 = z.string().check(z.regex(/^\+[1-9]\d{1,14}$/, "must be E.164, e.g. +14255550123"));
const nonEmpty = z.string().check(z.minLength(1));
const nonNegative = z.number().check(z.nonnegative());

/** Kinds that may lack the phone number: receipts, which the MessageLog completes by message id. */
export const RECEIPT_KINDS = ["sent", "delivered", "failed", "opted_out"] as const;

/**
 * Whether an event may go without its phone number: a receipt carrying a message id (End User
 * Messaging's EventBridge events have no destinationPhoneNumber). A reply or a queued event never may.
 */
export function mayLackPhone(event: { kind: string; messageId?: string | undefined }): boolean {
  return (
    (RECEIPT_KINDS as readonly string[]).includes(event.kind) &&
    event.messageId !== undefined &&
    event.messageId.length > 0
  );
}

/**
 * The most message parts an event may report: the archive stores parts as INT32, and a larger count
 * made the Parquet writer throw, failing the whole archive batch on every retry (found by the fuzz).
 * Real messages have a handful of parts; a native payload claiming more has its count left out.
 */
export const MAX_PARTS = 2_147_483_647;

/**
 * The canonical SMS event. Every decoder produces it, every consumer reads it, and the
 * archive's Parquet columns are exactly these fields. Fields the native event lacks stay absent.
 */
export const SmsEventSchema = z
  .strictObject({
    eventId: nonEmpty,
    schemaVersion: z.literal(SCHEMA_VERSION),
    kind: z.enum(EVENT_KINDS),
    occurredAt: z.iso.datetime(),
    provider: z.enum(PROVIDERS),
    /** Absent only where mayLackPhone allows (see the check below). */
    phoneNumber: z.optional(e164),
    senderNumber: z.optional(nonEmpty),
    subscriberId: z.optional(nonEmpty),
    campaignId: z.optional(nonEmpty),
    journeyId: z.optional(nonEmpty),
    messageId: z.optional(nonEmpty),
    inReplyTo: z.optional(nonEmpty),
    status: z.optional(z.string()),
    failureReason: z.optional(z.string()),
    body: z.optional(z.string()),
    keyword: z.optional(z.string()),
    parts: z.optional(z.int().check(z.nonnegative(), z.lte(MAX_PARTS))),
    priceUsd: z.optional(nonNegative),
    carrierFeeUsd: z.optional(nonNegative),
    countryCode: z.optional(z.string().check(z.length(2))),
    messageType: z.optional(z.enum(MESSAGE_TYPES)),
  })
  .check(
    z.refine((event) => event.phoneNumber !== undefined || mayLackPhone(event), {
      message:
        "phoneNumber is required, except on a sent/delivered/failed/opted_out receipt with a messageId",
      path: ["phoneNumber"],
    }),
  );

export type SmsEvent = z.infer<typeof SmsEventSchema>;
export type EventKind = SmsEvent["kind"];
export type ProviderName = SmsEvent["provider"];
export type MessageType = NonNullable<SmsEvent["messageType"]>;

/** Field order used by the archive and the CLI; one place so they never drift. */
export const SMS_EVENT_FIELDS = Object.keys(SmsEventSchema.shape) as (keyof SmsEvent)[];
