import { ARCHIVE_COLUMNS, ARCHIVE_PARTITION, type ArchiveType } from "../../../core/events/archive-schema";

/** BigQuery (legacy names, as the table API takes them) of each archive type. */
const BIGQUERY_TYPES: Record<ArchiveType, string> = {
  string: "STRING",
  int32: "INTEGER",
  timestamp: "TIMESTAMP",
  double: "FLOAT",
};

export interface BigQueryField {
  name: string;
  type: string;
  mode: "REQUIRED" | "NULLABLE";
}

/**
 * The external table's schema: the archive schema's columns in its order. Declared rather than
 * autodetected so a file written before a column existed cannot narrow the table, and so the
 * table is what the archive schema says. The partition `dt` is not listed: hive partitioning adds it.
 */
export const bigQueryArchiveSchema = (): BigQueryField[] =>
  ARCHIVE_COLUMNS.map(({ name, type, required }) => ({
    name,
    type: BIGQUERY_TYPES[type],
    mode: required ? "REQUIRED" : "NULLABLE",
  }));

/**
 * CUSTOM hive partitioning names `dt` and its type in the prefix (`gs://b/events/{dt:STRING}`):
 * AUTO would infer a DATE, where Athena and DuckDB read a string.
 */
export const hivePartitionPrefix = (root: string): string =>
  `${root}{${ARCHIVE_PARTITION.name}:${ARCHIVE_PARTITION.type.toUpperCase()}}`;
