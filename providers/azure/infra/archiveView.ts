import { ARCHIVE_COLUMNS, ARCHIVE_PARTITION, type ArchiveType } from "../../../core/events/archive-schema";
import { ARCHIVE_PREFIX } from "../../../core/processing/archive";

/**
 * The Azure query path: a Synapse serverless SQL view over the archive container's Parquet,
 * generated from the archive schema (queries/azure/events-raw-view.sql). A Synapse workspace is
 * heavy to deploy for an archive most stacks query rarely, so the stack deploys none; whoever has
 * one runs this file once there. BIN2_UTF8 is the collation Synapse reads Parquet strings with
 * without conversion; 8000 bytes hold the longest body (10 parts of 4-byte characters).
 */
const SYNAPSE_TYPES: Record<ArchiveType, string> = {
  string: "VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8",
  int32: "INT",
  timestamp: "DATETIME2(3)",
  double: "FLOAT",
};

/** The external data source the view reads: the archive container's root, created once by hand. */
export const SYNAPSE_DATA_SOURCE = "sms_archive";

export interface SynapseColumn {
  name: string;
  type: string;
  required: boolean;
}

/** OPENROWSET's WITH list cannot say NOT NULL, so `required` travels as a trailing comment. */
export const synapseArchiveColumns = (): SynapseColumn[] =>
  ARCHIVE_COLUMNS.map(({ name, type, required }) => ({ name, type: SYNAPSE_TYPES[type], required }));

export function synapseEventsRawViewSql(): string {
  const columns = synapseArchiveColumns();
  const withList = columns.map(({ name, type, required }, index) => {
    const separator = index < columns.length - 1 ? "," : "";
    return `    ${name} ${type}${separator}${required ? " -- required" : ""}`;
  });
  return [
    "-- Generated from core/events/archive-schema.ts by providers/azure/infra/writeArchiveView.ts;",
    "-- do not edit (test/infra/archiveSchema.test.ts fails when this file and the schema differ).",
    "-- events_raw for Synapse serverless SQL: every archived row, plus dt, the UTC date partition",
    "-- (a string, the first wildcard of the path). Create the data source first, e.g.",
    `--   CREATE EXTERNAL DATA SOURCE ${SYNAPSE_DATA_SOURCE}`,
    "--     WITH (LOCATION = 'https://<account>.dfs.core.windows.net/<archive container>/');",
    "-- then this view, then queries/views/events.sql (see queries/README.md for T-SQL's differences).",
    "CREATE OR ALTER VIEW events_raw AS",
    "SELECT",
    "  r.*,",
    `  CAST(r.filepath(1) AS VARCHAR(10)) AS ${ARCHIVE_PARTITION.name}`,
    "FROM OPENROWSET(",
    `  BULK '${ARCHIVE_PREFIX}${ARCHIVE_PARTITION.name}=*/*.parquet',`,
    `  DATA_SOURCE = '${SYNAPSE_DATA_SOURCE}',`,
    "  FORMAT = 'PARQUET'",
    ") WITH (",
    ...withList,
    ") AS r;",
    "",
  ].join("\n");
}

/** Where the generated view is committed, relative to the repository root. */
export const SYNAPSE_VIEW_FILE = "queries/azure/events-raw-view.sql";
