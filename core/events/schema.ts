import { z } from "zod";

/** Bump when a field changes meaning; consumers and the archive read this. */
export const SCHEMA_VERSION = 1 as const;

export const EVENT_KINDS = ["queued", "sent", "delivered", "failed", "opted_out", "received"] as const;
export const PROVIDERS = ["aws-pinpoint", "aws-eum", "azure-acs", "twilio", "local"] as const;
export const MESSAGE_TYPES = ["transactional", "promotional"] as const;

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, "must be E.164, e.g. +14255550123");

/**
 * The canonical SMS event. Every decoder produces it, every consumer reads it, and the
 * archive's Parquet columns are exactly these fields. Fields the native event lacks stay absent.
 */
export const SmsEventSchema = z
  .object({
    eventId: z.string().min(1),
    schemaVersion: z.literal(SCHEMA_VERSION),
    kind: z.enum(EVENT_KINDS),
    occurredAt: z.iso.datetime(),
    provider: z.enum(PROVIDERS),
    phoneNumber: e164,
    senderNumber: z.string().min(1).optional(),
    subscriberId: z.string().min(1).optional(),
    campaignId: z.string().min(1).optional(),
    journeyId: z.string().min(1).optional(),
    messageId: z.string().min(1).optional(),
    inReplyTo: z.string().min(1).optional(),
    status: z.string().optional(),
    failureReason: z.string().optional(),
    body: z.string().optional(),
    keyword: z.string().optional(),
    parts: z.number().int().nonnegative().optional(),
    priceUsd: z.number().nonnegative().optional(),
    carrierFeeUsd: z.number().nonnegative().optional(),
    countryCode: z.string().length(2).optional(),
    messageType: z.enum(MESSAGE_TYPES).optional(),
  })
  .strict();

export type SmsEvent = z.infer<typeof SmsEventSchema>;
export type EventKind = SmsEvent["kind"];
export type ProviderName = SmsEvent["provider"];
export type MessageType = NonNullable<SmsEvent["messageType"]>;

/** Field order used by the archive and the CLI; one place so they never drift. */
export const SMS_EVENT_FIELDS = Object.keys(SmsEventSchema.shape) as (keyof SmsEvent)[];
