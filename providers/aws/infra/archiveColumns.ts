import { ARCHIVE_COLUMNS, ARCHIVE_PARTITION, type ArchiveType } from "../../../core/events/archive-schema";
import { ARCHIVE_PREFIX } from "../../../core/processing/archive";

/** Athena (Hive DDL) type of each archive type; Parquet INT64 timestamp millis reads as `timestamp`. */
const GLUE_TYPES: Record<ArchiveType, string> = {
  string: "string",
  int32: "int",
  timestamp: "timestamp",
  double: "double",
};

export interface GlueColumn {
  name: string;
  type: string;
}

/**
 * The archive table's columns: the archive schema's, in its order. Glue has no NOT NULL, so
 * `required` has no counterpart here. Glue stores column names in lower case, so we do too (no
 * perpetual diff); Parquet columns match case-insensitively.
 */
export const archiveColumns = (): GlueColumn[] =>
  ARCHIVE_COLUMNS.map(({ name, type }) => ({ name: name.toLowerCase(), type: GLUE_TYPES[type] }));

/** Hive-style date partition under the archive writer's prefix: `events/dt=2026-11-24/`. */
export const ARCHIVE_EVENTS_PREFIX = ARCHIVE_PREFIX;
export const ARCHIVE_PARTITION_KEY = ARCHIVE_PARTITION.name;
/** The table's partition keys: `dt`, a string as in every engine. */
export const archivePartitionKeys = (): GlueColumn[] => [
  { name: ARCHIVE_PARTITION.name, type: ARCHIVE_PARTITION.type },
];
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
