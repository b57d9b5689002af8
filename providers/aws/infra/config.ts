/**
 * The AWS stack's configuration: the shared keys from core/config plus the AWS-only ones,
 * in one strict schema, so a typo in any key fails before a resource exists.
 */
import { z } from "zod";
import {
  archiveExpirationDaysSetting,
  booleanFlag,
  intBetween,
  numberBetween,
  parseConfigWith,
  SharedConfigShape,
} from "../../../core/config";

const arn = (service: string) =>
  z.string({ error: "must be a string" }).regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), {
    error: `must be an ARN of ${service} (arn:aws:${service}:...)`,
  });

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const RequestPhoneNumberSchema = z
  .object({
    isoCountryCode: z
      .string({ error: "must be a two-letter country code" })
      .regex(/^[A-Z]{2}$/, { error: "must be a two-letter country code" }),
    numberType: z.enum(["SHORT_CODE", "LONG_CODE", "TOLL_FREE", "TEN_DLC", "SIMULATOR"], {
      error: "must be one of SHORT_CODE, LONG_CODE, TOLL_FREE, TEN_DLC, SIMULATOR",
    }),
    messageType: z
      .enum(["TRANSACTIONAL", "PROMOTIONAL"], { error: "must be TRANSACTIONAL or PROMOTIONAL" })
      .default("TRANSACTIONAL"),
    /** Carrier registration (10DLC, toll-free verification) when the number type needs one. */
    registrationId: z.string().min(1).optional(),
  })
  .strict();

const streamMode = z
  .enum(["provisioned", "on-demand"], { error: 'must be "provisioned" or "on-demand"' })
  .default("provisioned");

/** EventBridge Scheduler's rate units, singular for 1 ("1 minute") and plural otherwise ("5 minutes"). */
const RATE_UNIT_SECONDS = { minute: 60, hour: 3600, day: 86_400 } as const;
const RATE = /^([1-9]\d*) (minute|minutes|hour|hours|day|days)$/;

/** Seconds between ticks of a rate such as "1 minute" or "5 minutes"; undefined if it is not one. */
export function rateSeconds(rate: string): number | undefined {
  const match = RATE.exec(rate.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2].replace(/s$/, "") as keyof typeof RATE_UNIT_SECONDS;
  if ((value === 1) !== (match[2] === unit)) return undefined;
  return value * RATE_UNIT_SECONDS[unit];
}

const tickRate = z
  .string({ error: 'must be a rate such as "1 minute" or "5 minutes"' })
  .refine((rate) => (rateSeconds(rate) ?? 0) >= 60 && (rateSeconds(rate) ?? 0) <= 86_400, {
    error: 'must be a rate between "1 minute" and "1 day", e.g. "1 minute", "5 minutes", "1 hour"',
  })
  .default("1 minute");

/** The deployed journey ticker and enrollment function (issue 8). */
export const JourneysConfigSchema = z
  .object({
    /** How often the ticker runs (EventBridge Scheduler `rate(...)`). */
    tickRate,
    /** Message parts per second the origination identity may send; each tick sends at most this times its window. */
    mps: intBetween(1, 10_000).default(1),
    /** Spending cap of one tick, in USD; none when absent. */
    tickBudgetUsd: numberBetween(0.01, 1_000_000).optional(),
    /** Recipient-local hours sends are allowed in, [startHour, endHour); FL, CT, MD, OK, WA end at 20 anyway. */
    sendWindow: z
      .object({ startHour: intBetween(0, 23).default(8), endHour: intBetween(1, 24).default(21) })
      .strict()
      .prefault({})
      .refine((w) => w.startHour < w.endHour, { error: "startHour must be before endHour" }),
    /** Audience rows one enrollment invocation handles before it hands the rest to the next chunk. */
    enrollmentChunkRows: intBetween(1, 100_000).default(2000),
    /** Days an uploaded audience (subscriber PII) is kept in the audience bucket. */
    audienceRetentionDays: intBetween(1, 3650).default(30),
  })
  .strict()
  .prefault({});

export type JourneysConfig = z.infer<typeof JourneysConfigSchema>;

export const AwsConfigShape = {
  journeys: JourneysConfigSchema,
  streamMode,
  /** Ignored in on-demand mode. */
  shardCount: intBetween(1, 500).default(2),
  /** Creates a Pinpoint app, SMS channel and event stream for accounts that still send through Pinpoint. */
  legacyPinpoint: booleanFlag().default(false),
  /** An existing End User Messaging phone number to send from (its two-way channel is set outside this stack). */
  phoneNumberArn: arn("sms-voice").optional(),
  /** An existing End User Messaging pool to send from. */
  poolArn: arn("sms-voice").optional(),
  /** Ask End User Messaging for a new number, with two-way messaging into the inbound topic. */
  requestPhoneNumber: RequestPhoneNumberSchema.optional(),
  notificationEmail: z.email({ error: "must be an email address" }).optional(),
  /** Days until archived objects expire: at least 365 (the one-year promise), or "never". */
  archiveExpirationDays: archiveExpirationDaysSetting(),
  archiveNoncurrentVersionDays: intBetween(1, 3650).default(30),
  /** Retries of a failing batch before its records go to the dead-letter queue (never infinite). */
  maximumRetryAttempts: intBetween(0, 10_000).default(3),
  /** Records older than this go to the dead-letter queue instead of being retried. */
  maximumRecordAgeSeconds: intBetween(60, 604_800).default(86_400),
  /** Where a new event source mapping starts reading. */
  startingPosition: z
    .enum(["TRIM_HORIZON", "LATEST"], { error: 'must be "TRIM_HORIZON" or "LATEST"' })
    .default("TRIM_HORIZON"),
  xrayTracing: booleanFlag().default(true),
  lambdaArchitecture: z.enum(["arm64", "x86_64"], { error: 'must be "arm64" or "x86_64"' }).default("arm64"),
  lambdaMemoryMb: intBetween(128, 10_240).default(512),
  lambdaTimeoutSeconds: intBetween(1, 900).default(60),
  logRetentionDays: z
    .preprocess(
      (value) => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value),
      z.number().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
      }),
    )
    .default(365),
  logLevel: z
    .enum(["DEBUG", "INFO", "WARN", "ERROR"], { error: "must be DEBUG, INFO, WARN or ERROR" })
    .default("INFO"),
} as const;

export const AwsStackConfigSchema = z
  .object({ ...SharedConfigShape, ...AwsConfigShape })
  .strict()
  .superRefine((config, ctx) => {
    const origins = (["phoneNumberArn", "poolArn", "requestPhoneNumber"] as const).filter(
      (key) => config[key] !== undefined,
    );
    if (origins.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: [origins[1]],
        message: `set at most one of phoneNumberArn, poolArn, requestPhoneNumber (found ${origins.join(", ")})`,
      });
    }
  });

export type AwsStackConfig = z.infer<typeof AwsStackConfigSchema>;
export type AwsStackConfigInput = z.input<typeof AwsStackConfigSchema>;

export const parseAwsStackConfig = (raw: unknown): AwsStackConfig =>
  parseConfigWith(AwsStackConfigSchema, raw);
