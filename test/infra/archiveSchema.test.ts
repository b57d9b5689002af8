/**
 * One archive schema, four declarations: the Parquet files the archive writer produces, the Glue
 * table (AWS), the BigQuery external table (GCP) and the Synapse OPENROWSET view (Azure) must
 * agree column for column (name, type, nullability, order) and on the `dt` partition.
 * awsPipeline/gcpPipeline tests check the deployed programs declare exactly these functions' output.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parquetMetadata, type SchemaElement } from "hyparquet";
import { describe, expect, it } from "vitest";
import { ARCHIVE_COLUMNS, ARCHIVE_PARTITION } from "../../core/events/archive-schema";
import { buildArchiveObjects } from "../../core/processing/archive";
import { archiveColumns, archivePartitionKeys } from "../../providers/aws/infra/archiveColumns";
import {
  SYNAPSE_VIEW_FILE,
  synapseArchiveColumns,
  synapseEventsRawViewSql,
} from "../../providers/azure/infra/archiveView";
import { bigQueryArchiveSchema, hivePartitionPrefix } from "../../providers/gcp/infra/archiveSchema";
import { seededEvents } from "../cli/query-archive";

const ROOT = join(import.meta.dirname, "..", "..");

interface FileColumn {
  name: string;
  /** The Parquet physical type with its logical annotation, as an engine reads it. */
  type: "string" | "int32" | "timestamp-millis-utc" | "double" | string;
  required: boolean;
}

const typeOf = (element: SchemaElement): FileColumn["type"] => {
  const logical = element.logical_type;
  if (element.type === "BYTE_ARRAY" && logical?.type === "STRING") return "string";
  if (element.type === "INT32" && logical === undefined) return "int32";
  if (element.type === "DOUBLE") return "double";
  if (element.type === "INT64" && logical?.type === "TIMESTAMP" && logical.unit === "MILLIS")
    return logical.isAdjustedToUTC ? "timestamp-millis-utc" : "timestamp-millis-local";
  return `${element.type}/${JSON.stringify(logical)}`;
};

const objects = buildArchiveObjects(seededEvents(), "schema-test");

/** The columns of one real archive file, read back from its footer. */
function fileColumnsOf(body: Uint8Array): FileColumn[] {
  const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  const [root, ...leaves] = parquetMetadata(file).schema;
  expect(root.num_children).toBe(leaves.length);
  return leaves.map((element) => ({
    name: element.name,
    type: typeOf(element),
    required: element.repetition_type === "REQUIRED",
  }));
}
const fileColumns = fileColumnsOf(objects[0].body);

// How each engine names the Parquet types above (its documented Parquet mapping).
const GLUE = { string: "string", int32: "int", "timestamp-millis-utc": "timestamp", double: "double" };
const BIGQUERY = { string: "STRING", int32: "INTEGER", "timestamp-millis-utc": "TIMESTAMP", double: "FLOAT" };
const SYNAPSE = {
  string: "VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8",
  int32: "INT",
  "timestamp-millis-utc": "DATETIME2(3)",
  double: "FLOAT",
};
const mapped = (table: Record<string, string>, column: FileColumn) =>
  table[column.type] ?? `no mapping for ${column.type}`;

/** The WITH (...) list of the committed view: `name TYPE[,] [-- required]` per line. */
function withListOf(sql: string): { name: string; type: string; required: boolean }[] {
  const list = sql.slice(sql.indexOf(") WITH (") + ") WITH (".length, sql.lastIndexOf(") AS r;"));
  return list
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const match = /^\s*(\w+) (.+?),?( -- required)?$/.exec(line);
      if (!match) throw new Error(`unreadable WITH line: ${line}`);
      return { name: match[1], type: match[2], required: match[3] !== undefined };
    });
}

describe("the archive schema against real archive files", () => {
  it("is what every file the writer produces declares, partitioned by dt=yyyy-mm-dd", () => {
    expect(objects.length).toBeGreaterThan(1); // the seeded run spans two UTC days
    for (const object of objects) {
      expect(fileColumnsOf(object.body)).toEqual(fileColumns);
      expect(object.key).toMatch(
        new RegExp(`^events/${ARCHIVE_PARTITION.name}=\\d{4}-\\d{2}-\\d{2}/[^/]+\\.parquet$`),
      );
    }
    expect(fileColumns.map((c) => c.name)).not.toContain(ARCHIVE_PARTITION.name);
    const schemaAsFile = ARCHIVE_COLUMNS.map(({ name, type, required }) => ({
      name,
      type: type === "timestamp" ? "timestamp-millis-utc" : type,
      required,
    }));
    expect(fileColumns).toEqual(schemaAsFile);
  });

  it("matches the Glue table's columns and partition keys (Glue has no NOT NULL)", () => {
    expect(archiveColumns()).toEqual(
      fileColumns.map((column) => ({ name: column.name.toLowerCase(), type: mapped(GLUE, column) })),
    );
    expect(archivePartitionKeys()).toEqual([{ name: "dt", type: "string" }]);
  });

  it("matches the BigQuery external table's schema, dt a STRING hive partition", () => {
    expect(bigQueryArchiveSchema()).toEqual(
      fileColumns.map((column) => ({
        name: column.name,
        type: mapped(BIGQUERY, column),
        mode: column.required ? "REQUIRED" : "NULLABLE",
      })),
    );
    expect(hivePartitionPrefix("gs://b/events/")).toBe("gs://b/events/{dt:STRING}");
  });

  it("matches the committed Synapse OPENROWSET view, which is the generator's output", () => {
    const committed = readFileSync(join(ROOT, SYNAPSE_VIEW_FILE), "utf8");
    expect(committed, "regenerate with npm run -s queries:azure").toBe(synapseEventsRawViewSql());
    const expected = fileColumns.map((column) => ({
      name: column.name,
      type: mapped(SYNAPSE, column),
      required: column.required,
    }));
    expect(withListOf(committed)).toEqual(expected);
    expect(synapseArchiveColumns()).toEqual(expected);
    expect(committed).toContain("BULK 'events/dt=*/*.parquet'");
    expect(committed).toContain("CAST(r.filepath(1) AS VARCHAR(10)) AS dt");
  });
});
