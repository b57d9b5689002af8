/**
 * The Azure stack's configuration: the shared keys from core/config plus the Azure-only ones, in
 * one strict schema, so a typo in any key fails before a resource exists. Every Azure key has a
 * default, so a stack file with only the shared keys deploys.
 */
import { z } from "zod";
import {
  archiveExpirationDaysSetting,
  booleanFlag,
  fromNumericString,
  intBetween,
  numberBetween,
  parseConfigWith,
  SharedConfigShape,
} from "../../../core/config";

/** Event Hubs keeps events at most 7 days on Standard and 90 days on Premium. */
export const MAX_RETENTION_HOURS = { Standard: 7 * 24, Premium: 90 * 24 } as const;
export type EventHubsTier = keyof typeof MAX_RETENTION_HOURS;

/** The shared `streamRetentionHours` (default one year, Kinesis' maximum) clamped to the tier's maximum. */
export const eventHubRetentionHours = (requestedHours: number, tier: EventHubsTier): number =>
  Math.min(requestedHours, MAX_RETENTION_HOURS[tier]);

/** Data locations Communication Services accepts (where chat, SMS and call data rest). */
export const ACS_DATA_LOCATIONS = [
  "Africa",
  "Asia Pacific",
  "Australia",
  "Brazil",
  "Canada",
  "Europe",
  "France",
  "Germany",
  "India",
  "Japan",
  "Korea",
  "Norway",
  "Switzerland",
  "UAE",
  "UK",
  "United States",
] as const;

/**
 * Fixed-rate NCRONTAB schedules ({second} {minute} {hour} {day} {month} {day-of-week}) and their
 * interval: a tick's allowance is MPS times the interval, so the schedule must have one.
 */
const FIXED_RATE_SCHEDULES: [RegExp, (n: number) => number][] = [
  [/^\*\/(\d+) \* \* \* \* \*$/, (n) => n],
  [/^0 \*\/(\d+) \* \* \* \*$/, (n) => n * 60],
  [/^0 0 \*\/(\d+) \* \* \*$/, (n) => n * 3600],
];
const DIVISORS = { second: 60, minute: 60, hour: 24 } as const;

/** Seconds between the ticks of a fixed-rate NCRONTAB schedule, or undefined if it has no fixed rate. */
export function tickIntervalSecondsOf(schedule: string): number | undefined {
  const units = [DIVISORS.second, DIVISORS.minute, DIVISORS.hour];
  for (const [index, [pattern, seconds]] of FIXED_RATE_SCHEDULES.entries()) {
    const n = Number(pattern.exec(schedule.trim())?.[1]);
    // The step must divide its field evenly, or the last gap of each hour/day is shorter.
    if (n > 0 && units[index] % n === 0) return seconds(n);
  }
  return undefined;
}

export const DEFAULT_TICK_SCHEDULE = "0 */1 * * * *";

export const AzureConfigShape = {
  /** Where the resource group and its regional resources live (default: the provider's azure-native:location). */
  location: z
    .string()
    .regex(/^[a-z0-9]+$/, { error: "must be an Azure region name, e.g. westeurope" })
    .optional(),
  eventHubsTier: z
    .enum(["Standard", "Premium"], { error: 'must be "Standard" or "Premium"' })
    .default("Standard"),
  /** Throughput units (Standard) or processing units (Premium). */
  eventHubsCapacity: intBetween(1, 40).default(1),
  /** Partitions of the hub: the unit of ordering and of consumer parallelism. */
  partitionCount: intBetween(1, 32).default(4),
  /** Event Hubs Capture of the raw stream into the archive account (Avro, under capture/). */
  captureEnabled: booleanFlag().default(false),
  acsDataLocation: z
    .enum(ACS_DATA_LOCATIONS, { error: `must be one of ${ACS_DATA_LOCATIONS.join(", ")}` })
    .default("United States"),
  /**
   * The ACS number (E.164) that answers HELP and STOP. Numbers are bought in the portal or with
   * the phone numbers SDK (no ARM resource), so the stack takes one that exists.
   */
  smsSenderNumber: z
    .string({ error: "must be a string" })
    .regex(/^\+[1-9]\d{6,14}$/, { error: "must be an E.164 phone number, e.g. +18005550100" })
    .optional(),
  notificationEmail: z.email({ error: "must be an email address" }).optional(),
  /** Archive blobs move to Cool after this many days, and to Archive after archiveColdDays. */
  archiveCoolAfterDays: intBetween(1, 3650).default(30),
  archiveColdAfterDays: intBetween(1, 3650).default(180),
  /** Days until archived blobs are deleted: at least 365 (the one-year promise), or "never". */
  archiveExpirationDays: archiveExpirationDaysSetting(),
  /** Attempts per failing record inside one invocation before it is dead-lettered. */
  recordMaxAttempts: intBetween(1, 10).default(3),
  /** Start a new consumer group at the oldest event ("fromStart", safe: every write is idempotent) or the newest. */
  initialOffset: z
    .enum(["fromStart", "fromEnd"], { error: 'must be "fromStart" or "fromEnd"' })
    .default("fromStart"),
  functionInstanceMemoryMb: z
    .preprocess(
      fromNumericString,
      z.union([z.literal(512), z.literal(2048), z.literal(4096)], { error: "must be 512, 2048 or 4096" }),
    )
    .default(2048),
  functionMaxInstances: intBetween(1, 1000).default(40),
  logRetentionDays: intBetween(30, 730).default(90),
  logLevel: z
    .enum(["DEBUG", "INFO", "WARN", "ERROR"], { error: "must be DEBUG, INFO, WARN or ERROR" })
    .default("INFO"),
  /** The journey ticker's timer (NCRONTAB, UTC), a fixed rate: every N seconds, minutes or hours. */
  tickSchedule: z
    .string({ error: "must be a string" })
    .refine((schedule) => tickIntervalSecondsOf(schedule) !== undefined, {
      error:
        'must be a fixed-rate NCRONTAB schedule: "*/N * * * * *", "0 */N * * * *" or "0 0 */N * * *", N dividing 60 (24 for hours)',
    })
    .default(DEFAULT_TICK_SCHEDULE),
  /** Message parts per second the ACS number may send; each tick sends at most this times its interval. */
  tickMps: intBetween(1, 10_000).default(1),
  /** Spending cap of one tick in USD (none when absent). */
  tickBudgetUsd: numberBetween(0.01, 1_000_000).optional(),
  /** Hours of the recipient's local day when journeys may send (stricter states narrow it). */
  sendWindow: z
    .object({ startHour: intBetween(0, 23).default(8), endHour: intBetween(1, 24).default(21) })
    .strict()
    .prefault({}),
  /** Audience rows one enrollment invocation reads before handing the rest on through the queue. */
  enrollmentChunkRows: intBetween(100, 100_000).default(2_000),
} as const;

export const AzureStackConfigSchema = z
  .object({ ...SharedConfigShape, ...AzureConfigShape })
  .strict()
  .superRefine((config, ctx) => {
    if (config.sendWindow.endHour <= config.sendWindow.startHour) {
      ctx.addIssue({
        code: "custom",
        path: ["sendWindow", "endHour"],
        message: `must be more than sendWindow.startHour (${config.sendWindow.startHour})`,
      });
    }
    if (config.archiveColdAfterDays <= config.archiveCoolAfterDays) {
      ctx.addIssue({
        code: "custom",
        path: ["archiveColdAfterDays"],
        message: `must be more than archiveCoolAfterDays (${config.archiveCoolAfterDays})`,
      });
    }
    if (
      config.archiveExpirationDays !== "never" &&
      config.archiveExpirationDays <= config.archiveColdAfterDays
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["archiveExpirationDays"],
        message: `must be more than archiveColdAfterDays (${config.archiveColdAfterDays})`,
      });
    }
  });

export type AzureStackConfig = z.infer<typeof AzureStackConfigSchema>;
export type AzureStackConfigInput = z.input<typeof AzureStackConfigSchema>;

export const parseAzureStackConfig = (raw: unknown): AzureStackConfig =>
  parseConfigWith(AzureStackConfigSchema, raw);
