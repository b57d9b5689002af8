/**
 * The stack configuration every cloud shares, as one strict zod schema. Cloud-specific keys
 * (shards, phone numbers, ...) extend it in `providers/<cloud>/infra/config.ts`.
 * Pulumi hands config values over as strings, so numbers and booleans also accept their
 * string spelling; objects and arrays arrive as JSON.
 */
import { z } from "zod";
import { DEFAULT_CIRCUIT_BREAKER } from "./campaign/circuit-breaker";
import { DEFAULT_OPT_OUT_THRESHOLDS } from "./processing/opt-out-thresholds";
import { NotificationPatternSchema } from "./processing/patterns";
import { DEFAULT_REVOCATION_SLA_MINUTES } from "./processing/revocation-sla";

/** The Pulumi project name, which is also the config namespace (`sms-campaigns:<key>`). */
export const CONFIG_NAMESPACE = "sms-campaigns";

const NUMERIC = /^-?\d+(\.\d+)?$/;
/** Pulumi config arrives as strings: "8760" -> 8760, anything else unchanged. */
export const fromNumericString = (value: unknown) =>
  typeof value === "string" && NUMERIC.test(value.trim()) ? Number(value) : value;
const fromBooleanString = (value: unknown) => (value === "true" ? true : value === "false" ? false : value);

/** An integer in [min, max]; every failure (type, fraction, range) reports the same sentence. */
export const intBetween = (min: number, max: number) => {
  const error = `must be an integer between ${min} and ${max}`;
  return z.preprocess(
    fromNumericString,
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
};

/** A number in [min, max] (fractions allowed). */
export const numberBetween = (min: number, max: number) => {
  const error = `must be a number between ${min} and ${max}`;
  return z.preprocess(fromNumericString, z.number({ error }).min(min, { error }).max(max, { error }));
};

export const booleanFlag = () =>
  z.preprocess(fromBooleanString, z.boolean({ error: "must be true or false" }));

/** A name usable by every cloud's resources: letters, digits, dash, underscore, dot. */
const resourceName = (fallback: string) =>
  z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
      error: "must be 1-63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit",
    })
    .default(fallback);

export const DEFAULT_NAMES = {
  stream: "sms-events-stream",
  responsesTable: "sms-responses",
  optOutsTable: "sms-opt-outs",
  sendLedgerTable: "sms-send-ledger",
  journeysTable: "sms-journeys",
  messageLogTable: "sms-message-log",
  subscribersTable: "sms-subscribers",
  campaignsTable: "sms-campaigns",
  pendingReceiptsTable: "sms-pending-receipts",
  optOutReviewsTable: "sms-opt-out-reviews",
  /** Consent evidence (AWS only so far). */
  consentLogTable: "sms-consent-log",
  revocationClocksTable: "sms-revocation-clocks",
  archiveBucketPrefix: "sms-archive",
  notificationTopic: "sms-response-notifications",
  alarmTopic: "sms-alarms",
  inboundTopic: "sms-inbound",
  deadLetterQueue: "sms-events-dlq",
  metricNamespace: "SmsCampaigns",
} as const;

export const NamesSchema = z
  .object({
    stream: resourceName(DEFAULT_NAMES.stream),
    responsesTable: resourceName(DEFAULT_NAMES.responsesTable),
    optOutsTable: resourceName(DEFAULT_NAMES.optOutsTable),
    sendLedgerTable: resourceName(DEFAULT_NAMES.sendLedgerTable),
    journeysTable: resourceName(DEFAULT_NAMES.journeysTable),
    messageLogTable: resourceName(DEFAULT_NAMES.messageLogTable),
    subscribersTable: resourceName(DEFAULT_NAMES.subscribersTable),
    campaignsTable: resourceName(DEFAULT_NAMES.campaignsTable),
    pendingReceiptsTable: resourceName(DEFAULT_NAMES.pendingReceiptsTable),
    /** Replies held for opt-out review (a table, container or collection). */
    optOutReviewsTable: resourceName(DEFAULT_NAMES.optOutReviewsTable),
    consentLogTable: resourceName(DEFAULT_NAMES.consentLogTable),
    /** Revocation SLA clocks: one per opt-out, judged by the monitor the ticker runs. */
    revocationClocksTable: resourceName(DEFAULT_NAMES.revocationClocksTable),
    archiveBucketPrefix: z
      .string({ error: "must be a string" })
      .regex(/^[a-z0-9][a-z0-9-]{2,36}$/, {
        error: "must be 3-37 lowercase letters, digits or '-' (a bucket name prefix)",
      })
      .default(DEFAULT_NAMES.archiveBucketPrefix),
    notificationTopic: resourceName(DEFAULT_NAMES.notificationTopic),
    alarmTopic: resourceName(DEFAULT_NAMES.alarmTopic),
    inboundTopic: resourceName(DEFAULT_NAMES.inboundTopic),
    deadLetterQueue: resourceName(DEFAULT_NAMES.deadLetterQueue),
    metricNamespace: resourceName(DEFAULT_NAMES.metricNamespace),
  })
  .strict()
  .prefault({});

export const AlarmThresholdsSchema = z
  .object({
    /** Alarm when the delivery rate (percent) falls below this. */
    deliveryRatePercent: numberBetween(0, 100).default(95),
    /** Alarm when the opt-out rate (percent) rises above this. */
    optOutRatePercent: numberBetween(0, 100).default(5),
    /** Alarm when the oldest unread record is older than this (milliseconds). */
    iteratorAgeMs: intBetween(1_000, 604_800_000).default(60_000),
  })
  .strict()
  .prefault({});

/**
 * Where the opt-out intent engine's confidence (0-1) makes a free-text reply an opt-out, or puts it
 * in the review queue (the number gets no marketing until a person decides). review < optOut.
 */
export const OptOutThresholdsSchema = z
  .object({
    optOut: numberBetween(0, 1).default(DEFAULT_OPT_OUT_THRESHOLDS.optOut),
    review: numberBetween(0, 1).default(DEFAULT_OPT_OUT_THRESHOLDS.review),
  })
  .strict()
  .refine((thresholds) => thresholds.review < thresholds.optOut, {
    error: "review must be below optOut (a reply between them goes to review)",
  })
  .prefault({});

/**
 * The deliverability circuit breaker (core/campaign/circuit-breaker.ts): per campaign, over a
 * sliding window, rates in percent; defaults and their sources in core/campaign/README.md.
 */
const breakerDefaults = DEFAULT_CIRCUIT_BREAKER;
export const CircuitBreakerSchema = z
  .object({
    enabled: booleanFlag().default(breakerDefaults.enabled),
    windowMinutes: intBetween(1, 1440).default(breakerDefaults.windowMinutes),
    minSample: intBetween(1, 1_000_000).default(breakerDefaults.minSample),
    thresholds: z
      .object({
        optOutRatePercent: numberBetween(0, 100).default(breakerDefaults.thresholds.optOutRatePercent),
        carrierBlockRatePercent: numberBetween(0, 100).default(
          breakerDefaults.thresholds.carrierBlockRatePercent,
        ),
        failureRatePercent: numberBetween(0, 100).default(breakerDefaults.thresholds.failureRatePercent),
        complaintRatePercent: numberBetween(0, 100).default(breakerDefaults.thresholds.complaintRatePercent),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export const DEFAULT_HELP_TEXT =
  "SMS campaigns: reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.";
export const DEFAULT_STOP_CONFIRMATION_TEXT =
  "You are unsubscribed and will receive no more messages. Reply START to resubscribe.";

const smsText = (fallback: string) =>
  z
    .string({ error: "must be a string" })
    .min(1, { error: "must be a non-empty text of at most 1600 characters" })
    .max(1600, { error: "must be a non-empty text of at most 1600 characters" })
    .default(fallback);

/** The keys every cloud's stack accepts. Extend with `.extend(cloudShape)`; keep `.strict()`. */
export const SharedConfigShape = {
  names: NamesSchema,
  /** How long the stream keeps events (Kinesis max 8760 h; other clouds clamp to their own max). */
  streamRetentionHours: intBetween(24, 8760).default(8760),
  /** How long a stored reply lives before the store's TTL removes it. */
  responseTtlDays: intBetween(1, 3650).default(365),
  alarms: AlarmThresholdsSchema,
  notificationPatterns: z
    .array(NotificationPatternSchema, { error: "must be a list of notification patterns" })
    .default([]),
  helpText: smsText(DEFAULT_HELP_TEXT),
  stopConfirmationText: smsText(DEFAULT_STOP_CONFIRMATION_TEXT),
  /**
   * Keys the salted hash that stands for a phone number in notifications (core/redact.ts). A
   * secret: `pulumi config set --secret sms-campaigns:phoneHashSalt "$(openssl rand -hex 32)"`.
   * Only the responses function receives it. Without it, notifications show the last four digits only.
   */
  phoneHashSalt: z
    .string({ error: "must be a string" })
    .min(16, { error: "must be a random secret of at least 16 characters" })
    .optional(),
  /** Free-text opt-out: at or above optOut a reply opts out; from review up to optOut it is held for review. */
  optOutThresholds: OptOutThresholdsSchema,
  /** Pauses a launched campaign whose opt-out, carrier-block, failure or complaint rate spikes. */
  circuitBreaker: CircuitBreakerSchema,
  /** Minutes an opt-out has to be confirmed and suppressed everywhere before the SLA monitor judges it. */
  revocationSlaMinutes: intBetween(1, 1440).default(DEFAULT_REVOCATION_SLA_MINUTES),
  /** Records per function invocation. */
  batchSize: intBetween(1, 10_000).default(100),
  /** Seconds a trigger may wait to fill a batch. */
  batchWindowSeconds: intBetween(0, 300).default(5),
} as const;

export const StackConfigSchema = z.object(SharedConfigShape).strict();
export type StackConfig = z.infer<typeof StackConfigSchema>;
export type StackConfigInput = z.input<typeof StackConfigSchema>;

const describeIssue = (issue: z.core.$ZodIssue, allowedKeys: readonly string[]): string => {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const key = [...path, issue.keys[0]].join(".");
    const allowed = path.length === 0 ? ` (allowed: ${allowedKeys.join(", ")})` : "";
    return `config key "${CONFIG_NAMESPACE}:${key}": unknown key${allowed}`;
  }
  return `config key "${CONFIG_NAMESPACE}:${path.join(".")}": ${issue.message}`;
};

/**
 * Parses raw config with any strict object schema and throws one Error naming every bad key
 * and what it allows, e.g. `config key "sms-campaigns:streamRetentionHours": must be an
 * integer between 24 and 8760`.
 */
export function parseConfigWith<S extends z.ZodObject>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const allowedKeys = Object.keys(schema.shape);
  throw new Error(result.error.issues.map((issue) => describeIssue(issue, allowedKeys)).join("\n"));
}

/** Parses the shared (cloud-neutral) stack config. */
export const parseStackConfig = (raw: unknown): StackConfig => parseConfigWith(StackConfigSchema, raw);

/**
 * Turns Pulumi's flat config map (`{"sms-campaigns:batchSize": "100", "aws:region": ...}`) into
 * the raw object the schemas parse: only this project's namespace, JSON objects/arrays decoded.
 */
export function rawConfigFromPulumi(all: Record<string, string>): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(prefix)) continue;
    raw[key.slice(prefix.length)] = decodeConfigValue(value);
  }
  return raw;
}

const decodeConfigValue = (value: string): unknown => {
  const trimmed = value.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
};

/** Days until archived objects are deleted: at least 365 (the one-year promise), or "never". */
export const archiveExpirationDaysSetting = () =>
  z
    .preprocess(
      fromNumericString,
      z.custom<number | "never">(
        (days) =>
          days === "never" || (Number.isInteger(days) && Number(days) >= 365 && Number(days) <= 36_500),
        { error: 'must be an integer between 365 and 36500, or "never"' },
      ),
    )
    .default(730);
