/**
 * The GCP stack's configuration: the shared keys from core/config plus the GCP-only ones, in one
 * strict schema, so a typo in any key fails before a resource exists.
 */
import { z } from "zod";
import {
  booleanFlag,
  fromNumericString,
  intBetween,
  numberBetween,
  parseConfigWith,
  SharedConfigShape,
} from "../../../core/config";

/** Pub/Sub keeps messages at most 31 days (744 h); longer stream retention is clamped to this. */
export const PUBSUB_MAX_RETENTION_HOURS = 744;

const twilioSid = (prefix: string) =>
  z
    .string({ error: "must be a string" })
    .regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), { error: `must be a Twilio SID (${prefix} + 32 hex)` });

/** Tick intervals that divide the hour, so a cron schedule fires at exactly that rate. */
export const TICK_INTERVAL_MINUTES = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20] as const;

const tickIntervalMinutes = z.preprocess(
  fromNumericString,
  z.union(
    TICK_INTERVAL_MINUTES.map((m) => z.literal(m)),
    { error: `must be one of ${TICK_INTERVAL_MINUTES.join(", ")} (minutes that divide the hour)` },
  ),
);

/** The recipient-local hours sends may go out in; outside them is quiet hours (held, not sent). */
const SendWindowSchema = z
  .object({
    startHour: intBetween(0, 23).default(8),
    endHour: intBetween(1, 24).default(21),
  })
  .strict()
  .refine((w) => w.startHour < w.endHour, {
    message: "startHour must be before endHour",
    path: ["startHour"],
  })
  .prefault({});

export const GcpConfigShape = {
  /** Twilio account the responses function answers HELP/STOP from. */
  twilioAccountSid: twilioSid("AC").optional(),
  /** The Messaging Service that picks the sender number. */
  twilioMessagingServiceSid: twilioSid("MG").optional(),
  /**
   * The Twilio auth token (set it with `pulumi config set --secret`). Stored in Secret Manager;
   * without it the secret is created empty and its first version is added outside the stack.
   */
  twilioAuthToken: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).optional(),
  notificationEmail: z.email({ error: "must be an email address" }).optional(),
  /** Delivery attempts of one message before it goes to the dead-letter topic (Pub/Sub allows 5-100). */
  maxDeliveryAttempts: intBetween(5, 100).default(5),
  /** Pub/Sub push retry backoff, seconds (0-600). */
  minimumBackoffSeconds: intBetween(0, 600).default(10),
  maximumBackoffSeconds: intBetween(0, 600).default(600),
  /** Seconds a push consumer has to answer before the message is redelivered. */
  ackDeadlineSeconds: intBetween(10, 600).default(60),
  /** Days until archived objects move to Nearline, then Coldline, then are deleted (≥ 365). */
  archiveNearlineAfterDays: intBetween(1, 3650).default(30),
  archiveColdlineAfterDays: intBetween(1, 3650).default(90),
  archiveDeleteAfterDays: intBetween(365, 36_500).default(730),
  /** A BigQuery external table over the archive's Parquet (hive-partitioned on dt). */
  bigQueryTable: booleanFlag().default(true),
  functionMemoryMb: intBetween(128, 32_768).default(512),
  functionTimeoutSeconds: intBetween(1, 540).default(60),
  /** Most instances per consumer function, so a backlog cannot scale without bound. */
  functionMaxInstances: intBetween(1, 1000).default(20),
  /** Minutes between journey ticks (Cloud Scheduler), default every minute. */
  tickIntervalMinutes: tickIntervalMinutes.default(1),
  /** Message parts per second the Twilio sender may send; each tick sends at most MPS x interval. */
  tickMps: intBetween(1, 10_000).default(1),
  /** Spending cap of one tick in USD; none when absent. */
  tickBudgetUsd: numberBetween(0, 1_000_000).optional(),
  sendWindow: SendWindowSchema,
  /** Rows one enrollment invocation enrolls before handing the rest of the audience on. */
  enrollmentChunkRows: intBetween(1, 100_000).default(1000),
  /** Days an uploaded audience (personal data) is kept before the bucket's lifecycle deletes it. */
  audienceRetentionDays: intBetween(1, 365).default(30),
  /** The Firestore collection of launched campaigns. */
  campaignsCollection: z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { error: "must be 1-63 letters, digits, '.', '_' or '-'" })
    .default("sms-campaigns"),
  logLevel: z
    .enum(["DEBUG", "INFO", "WARN", "ERROR"], { error: "must be DEBUG, INFO, WARN or ERROR" })
    .default("INFO"),
} as const;

export const GcpStackConfigSchema = z
  .object({ ...SharedConfigShape, ...GcpConfigShape })
  .strict()
  .superRefine((config, ctx) => {
    if (config.minimumBackoffSeconds > config.maximumBackoffSeconds) {
      ctx.addIssue({
        code: "custom",
        path: ["minimumBackoffSeconds"],
        message: "must not exceed maximumBackoffSeconds",
      });
    }
    const tiers = [
      config.archiveNearlineAfterDays,
      config.archiveColdlineAfterDays,
      config.archiveDeleteAfterDays,
    ];
    if (!(tiers[0] < tiers[1] && tiers[1] < tiers[2])) {
      ctx.addIssue({
        code: "custom",
        path: ["archiveColdlineAfterDays"],
        message:
          "archive tiers must grow: archiveNearlineAfterDays < archiveColdlineAfterDays < archiveDeleteAfterDays",
      });
    }
  });

export type GcpStackConfig = z.infer<typeof GcpStackConfigSchema>;
export type GcpStackConfigInput = z.input<typeof GcpStackConfigSchema>;

export const parseGcpStackConfig = (raw: unknown): GcpStackConfig =>
  parseConfigWith(GcpStackConfigSchema, raw);

/** Cloud Scheduler's cron for a tick every `minutes` (UTC). */
export const tickScheduleOf = (minutes: number): string =>
  minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;

/**
 * A tick paces its allowance over the whole interval, so the ticker may run that long plus a
 * minute of margin; the scheduler's attempt deadline is the same.
 */
export const tickTimeoutSecondsOf = (minutes: number): number => minutes * 60 + 60;

/** Pub/Sub's retention for the configured stream retention: at most 31 days, as a duration string. */
export const topicRetentionOf = (streamRetentionHours: number): string =>
  `${Math.min(streamRetentionHours, PUBSUB_MAX_RETENTION_HOURS) * 3600}s`;
