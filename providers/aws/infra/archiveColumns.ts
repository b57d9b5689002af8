import { SMS_EVENT_FIELDS, type SmsEvent } from "../../../core/events/schema";
import { ARCHIVE_PREFIX } from "../../../core/processing/archive";

/** Athena (Hive DDL) types for the canonical fields that are not strings. */
const NON_STRING_TYPES: Partial<Record<keyof SmsEvent, string>> = {
  occurredAt: "timestamp",
  parts: "int",
  priceUsd: "double",
  carrierFeeUsd: "double",
  schemaVersion: "int",
};

export interface ArchiveColumn {
  name: string;
  type: string;
}

/**
 * The archive table's columns: exactly the canonical event's fields, in schema order.
 * Glue stores column names in lower case, so we do too (no perpetual diff); Parquet columns
 * match case-insensitively.
 */
export const archiveColumns = (): ArchiveColumn[] =>
  SMS_EVENT_FIELDS.map((field) => ({ name: field.toLowerCase(), type: NON_STRING_TYPES[field] ?? "string" }));

/** Hive-style date partition under the archive writer's prefix: `events/dt=2026-11-24/`. */
export const ARCHIVE_EVENTS_PREFIX = ARCHIVE_PREFIX;
export const ARCHIVE_PARTITION_KEY = "dt";
/** Where Athena writes query results, in the same bucket. */
export const ATHENA_RESULTS_PREFIX = "athena-results/";

/** Glue table parameters enabling partition projection on `dt`, so no crawler or MSCK is needed. */
export const partitionProjectionParameters = (
  bucketName: string,
  firstDay: string,
): Record<string, string> => ({
  "projection.enabled": "true",
  [`projection.${ARCHIVE_PARTITION_KEY}.type`]: "date",
  [`projection.${ARCHIVE_PARTITION_KEY}.format`]: "yyyy-MM-dd",
  [`projection.${ARCHIVE_PARTITION_KEY}.range`]: `${firstDay},NOW`,
  [`projection.${ARCHIVE_PARTITION_KEY}.interval`]: "1",
  [`projection.${ARCHIVE_PARTITION_KEY}.interval.unit`]: "DAYS",
  "storage.location.template": `s3://${bucketName}/${ARCHIVE_EVENTS_PREFIX}${ARCHIVE_PARTITION_KEY}=\${${ARCHIVE_PARTITION_KEY}}/`,
  classification: "parquet",
  EXTERNAL: "TRUE",
});
