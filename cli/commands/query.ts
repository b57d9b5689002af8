/**
 * `smsctl query "<SQL>" | --file FILE [--dir ARCHIVE] [--format table|json|csv]`: SQL over a local
 * copy of the archive (what `npm start` writes, or `aws s3 sync` of the bucket), in DuckDB.
 * The archive is the view `events_raw`; `events` keeps one row per eventId and `replies` links each
 * reply to its send (queries/views/*.sql, the same views the clouds' consoles can create).
 * The SQL is an argument, or a file with --file: a lone positional that is sometimes a path and
 * sometimes SQL would guess wrong on `smsctl query queries/x.sql`.
 */
import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection, DuckDBResultReader } from "@duckdb/node-api";
import { Option } from "commander";
import { ARCHIVE_PREFIX } from "../../core/processing/archive";
import { DirectoryArchive } from "../../providers/local/runtime/directory-archive";
import { fail, readInput, registerCommand, USAGE_ERROR } from "../args";

export const QUERY_FORMATS = ["table", "json", "csv"] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

export type Cell = null | string | number | boolean | Cell[] | { [key: string]: Cell };

export interface QueryResult {
  columns: string[];
  rows: Cell[][];
}

export interface ArchiveLocation {
  dir: string;
  /** Key prefix before events/dt=..., as `smsctl replay --prefix`. */
  prefix?: string;
}

/** A query that could not run; `exitCode` follows cli/args.ts (2 usage, 1 failed). */
export class QueryProblem extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The portable views, in dependency order; the clouds' consoles run the same files. */
export const VIEW_FILES = ["events.sql", "replies.sql"].map((file) =>
  join(import.meta.dirname, "..", "..", "queries", "views", file),
);

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The archive's files as DuckDB reads them: dt is a string partition, as the Glue table declares it. */
export function eventsRawViewSql(location: ArchiveLocation): string {
  const glob = join(location.dir, `${location.prefix ?? ""}${ARCHIVE_PREFIX}dt=*`, "*.parquet");
  // union_by_name: files written before a field was added still read, its column null.
  return `CREATE OR REPLACE VIEW events_raw AS SELECT * FROM read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = {'dt': VARCHAR}, union_by_name = true)`;
}

/** DuckDB's message without its source excerpt ("LINE 1: ..." and the caret), on one line. */
export function oneLineError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [head] = message.split(/\n\s*\n|\nLINE \d+:/);
  return head.replace(/\s*\n\s*/g, " ").trim();
}

async function requireArchive(location: ArchiveLocation): Promise<void> {
  const found = await stat(location.dir).catch(() => undefined);
  if (!found)
    throw new QueryProblem(
      `--dir ${location.dir}: no such directory. Pass the archive's directory (npm start writes .sms-local/archive)`,
      USAGE_ERROR,
    );
  if (!found.isDirectory())
    throw new QueryProblem(
      `--dir ${location.dir} is a file. Pass the archive's directory, e.g. .sms-local/archive`,
      USAGE_ERROR,
    );
  const keys = await new DirectoryArchive(location.dir, { keyPrefix: location.prefix }).list(ARCHIVE_PREFIX);
  if (keys.length === 0)
    throw new QueryProblem(
      `the archive is empty: no Parquet files under ${join(location.dir, location.prefix ?? "", ARCHIVE_PREFIX)}dt=*/. Check --dir and --prefix, or run npm start first`,
      1,
    );
}

/** Opens DuckDB in memory over the archive, runs the SQL (the last statement's rows are the result). */
export async function runQuery(sql: string, location: ArchiveLocation): Promise<QueryResult> {
  await requireArchive(location);
  // Loaded here, not at the top: every smsctl command imports this module, few need DuckDB.
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await prepareViews(connection, location);
    const reader = await connection.runAndReadAll(sql).catch((error: unknown) => {
      throw new QueryProblem(oneLineError(error), 1);
    });
    return await resultOf(reader);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function prepareViews(connection: DuckDBConnection, location: ArchiveLocation): Promise<void> {
  // Dates and timestamps are the archive's UTC ones, whatever the machine's zone.
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run(eventsRawViewSql(location));
  for (const file of VIEW_FILES) await connection.run(readFileSync(file, "utf8"));
}

async function resultOf(reader: DuckDBResultReader): Promise<QueryResult> {
  const { DuckDBTypeId } = await import("@duckdb/node-api");
  const dateColumns = new Set(
    reader.columnTypes().flatMap((type, index) => (type.typeId === DuckDBTypeId.DATE ? [index] : [])),
  );
  const rows = reader
    .getRowsJS()
    .map((row) => row.map((value, index) => cellOf(value, dateColumns.has(index))));
  return { columns: reader.deduplicatedColumnNames(), rows };
}

/**
 * A DuckDB value as JSON can carry it: big integers as numbers while exact (else their digits),
 * timestamps in ISO-8601 UTC, dates as YYYY-MM-DD, binary as base64.
 */
export function cellOf(value: unknown, isDate = false): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint")
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return isDate ? value.toISOString().slice(0, 10) : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map((item) => cellOf(item));
  if (typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cellOf(item)]));
  return String(value);
}

const textOf = (cell: Cell): string =>
  cell === null ? "" : typeof cell === "object" ? JSON.stringify(cell) : String(cell);

/** One JSON object per row. */
export const formatJson = (result: QueryResult): string =>
  result.rows
    .map((row) => `${JSON.stringify(Object.fromEntries(result.columns.map((c, i) => [c, row[i]])))}\n`)
    .join("");

/** RFC 4180: a header, CRLF line ends, fields quoted when they hold a quote, comma or line break. */
export function formatCsv(result: QueryResult): string {
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const line = (cells: string[]) => `${cells.map(field).join(",")}\r\n`;
  return line(result.columns) + result.rows.map((row) => line(row.map(textOf))).join("");
}

/** Aligned columns under a header, numbers right-aligned, NULL spelled out, and the row count. */
export function formatTable(result: QueryResult): string {
  const cells = result.rows.map((row) => row.map((cell) => (cell === null ? "NULL" : textOf(cell))));
  const numeric = result.columns.map(
    (_, i) =>
      result.rows.length > 0 && result.rows.every((row) => row[i] === null || typeof row[i] === "number"),
  );
  const widths = result.columns.map((name, i) => Math.max(name.length, ...cells.map((row) => row[i].length)));
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (row: string[]) => `${row.map(pad).join("  ").trimEnd()}\n`;
  const count = `(${result.rows.length} ${result.rows.length === 1 ? "row" : "rows"})\n`;
  return line(result.columns) + line(widths.map((w) => "-".repeat(w))) + cells.map(line).join("") + count;
}

export const FORMATTERS: Record<QueryFormat, (result: QueryResult) => string> = {
  table: formatTable,
  json: formatJson,
  csv: formatCsv,
};

interface QueryOptions {
  file?: string;
  dir: string;
  prefix?: string;
  format: QueryFormat;
}

registerCommand((program) =>
  program
    .command("query")
    .description(
      "Run SQL over a local copy of the archive (DuckDB): views events (one row per eventId), events_raw and replies.",
    )
    .argument("[sql]", "the SQL to run; or pass --file")
    .option(
      "--file <path>",
      "run the SQL in this file instead, e.g. queries/opt-outs-by-day.sql (- reads stdin)",
    )
    .option(
      "--dir <path>",
      "the archive's directory (holds events/dt=YYYY-MM-DD/*.parquet)",
      ".sms-local/archive",
    )
    .option(
      "--prefix <prefix>",
      "key prefix before events/dt=..., if the archive is not at the root of --dir",
    )
    .addOption(new Option("--format <format>", "output format").choices(QUERY_FORMATS).default("table"))
    .addHelpText(
      "after",
      [
        "",
        "Exit status: 0 the query ran, 1 it failed (DuckDB's message) or the archive is empty, 2 usage error.",
        "",
        "Examples:",
        `  smsctl query "SELECT kind, count(*) AS events FROM events GROUP BY kind"`,
        "  smsctl query --file queries/response-rate-by-campaign.sql --format csv > rates.csv",
      ].join("\n"),
    )
    .action(async (sql: string | undefined, options: QueryOptions) => {
      if (sql !== undefined && options.file !== undefined)
        fail("pass the SQL as an argument or with --file, not both");
      if (sql === undefined && options.file === undefined)
        fail('no SQL. Pass it as an argument (smsctl query "SELECT 1") or with --file FILE');
      const text = sql ?? (await readInput(options.file));
      try {
        const result = await runQuery(text, { dir: options.dir, prefix: options.prefix });
        process.stdout.write(FORMATTERS[options.format](result));
      } catch (error) {
        if (error instanceof QueryProblem) fail(error.message, error.exitCode);
        throw error;
      }
    }),
);
