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
} as const;

export const AzureStackConfigSchema = z
  .object({ ...SharedConfigShape, ...AzureConfigShape })
  .strict()
  .superRefine((config, ctx) => {
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
