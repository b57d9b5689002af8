import * as zlib from "node:zlib";
import { parquetReadObjects } from "hyparquet";
import { type ColumnSource, parquetWriteBuffer, type SchemaElement } from "hyparquet-writer";
import { ARCHIVE_COLUMNS, type ArchiveType } from "../events/archive-schema";
import { partitionKeyOf } from "../events/decode";
import type { SmsEvent } from "../events/schema";
import type { Ports } from "../ports";
import { batchIdOf } from "./batch-id";
import { withoutErased } from "./erasure-guard";
import { attributeWithParking, type ParkingSettings, parkingOf } from "./parking";

export { batchIdOf };

/** Every archive object lives under this prefix, Hive-partitioned by UTC date: events/dt=YYYY-MM-DD/. */
export const ARCHIVE_PREFIX = "events/";
export const PARQUET_CONTENT_TYPE = "application/vnd.apache.parquet";

/** zlib gained zstd in Node 22.15; an older runtime falls back to GZIP rather than failing. */
const HAS_ZSTD = typeof zlib.zstdCompressSync === "function";

/**
 * ZSTD: the smallest files, read by Athena (engine v2+), BigQuery and Synapse serverless SQL alike.
 * GZIP, read by all of them too, only on a runtime without zstd.
 */
export const ARCHIVE_CODEC: "ZSTD" | "GZIP" = HAS_ZSTD ? "ZSTD" : "GZIP";

export interface ArchiveObject {
  key: string;
  body: Uint8Array;
  rows: number;
}

const PHYSICAL_TYPES: Record<ArchiveType, Omit<SchemaElement, "name" | "repetition_type">> = {
  string: { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } },
  int32: { type: "INT32" },
  timestamp: {
    type: "INT64",
    converted_type: "TIMESTAMP_MILLIS",
    logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
  },
  double: { type: "DOUBLE" },
};

/** The Parquet schema of every archive file: the archive schema's columns, in its order. */
export const PARQUET_SCHEMA: SchemaElement[] = [
  { name: "root", num_children: ARCHIVE_COLUMNS.length },
  ...ARCHIVE_COLUMNS.map(({ name, type, required }) => ({
    name,
    ...PHYSICAL_TYPES[type],
    repetition_type: required ? ("REQUIRED" as const) : ("OPTIONAL" as const),
  })),
];

/**
 * Timestamps of one person's events are close together: delta encoding stores them in a few bits
 * each. Event ids all have one length, which DELTA_LENGTH_BYTE_ARRAY stores once rather than per
 * row. Subscriber ids in row order share long prefixes, which DELTA_BYTE_ARRAY stores once.
 * Everything else keeps the writer's choice (dictionary when it pays, else plain).
 */
const COLUMN_ENCODING: Partial<Record<keyof SmsEvent, ColumnSource["encoding"]>> = {
  eventId: "DELTA_LENGTH_BYTE_ARRAY",
  occurredAt: "DELTA_BINARY_PACKED",
  subscriberId: "DELTA_BYTE_ARRAY",
};

/**
 * Min/max statistics let a query engine skip row groups; on random ids and free text they never
 * can, so those columns go without and save their bytes.
 */
const WITHOUT_STATISTICS = new Set<keyof SmsEvent>(["eventId", "messageId", "inReplyTo", "body"]);

/**
 * Level 17 (zstd's "btultra" strategies) makes files about 12 % smaller than level 6 on event batches,
 * mostly on the random-looking ids, for ~0.3 s per 10 000 events: worth it for data kept a year.
 */
const ZSTD_LEVEL = 17;
const COMPRESSORS = {
  ZSTD: (input: Uint8Array) =>
    zlib.zstdCompressSync(input, { params: { [zlib.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL } }),
  GZIP: (input: Uint8Array) => zlib.gzipSync(input, { level: 9 }),
};
const DECOMPRESSORS = {
  ZSTD: (input: Uint8Array) => new Uint8Array(zlib.zstdDecompressSync(input)),
  GZIP: (input: Uint8Array) => new Uint8Array(zlib.gunzipSync(input)),
};

/** UTC date of an ISO timestamp, without parsing when it is already in UTC ("...Z"). */
export function utcDateOf(occurredAt: string): string {
  return occurredAt.endsWith("Z") ? occurredAt.slice(0, 10) : new Date(occurredAt).toISOString().slice(0, 10);
}

export const archiveKeyOf = (date: string, batchId: string): string =>
  `${ARCHIVE_PREFIX}dt=${date}/${batchId}.parquet`;

function toColumn(events: SmsEvent[], name: keyof SmsEvent): ColumnSource {
  const data =
    name === "occurredAt"
      ? events.map((e) => new Date(e.occurredAt))
      : events.map((e) => (e[name] === undefined ? null : e[name]));
  return { name, data, encoding: COLUMN_ENCODING[name], statistics: !WITHOUT_STATISTICS.has(name) };
}

/** One Parquet file of events, columns in the archive schema's order, one row group. */
export function encodeParquet(events: SmsEvent[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: ARCHIVE_COLUMNS.map(({ name }) => toColumn(events, name)),
    schema: PARQUET_SCHEMA,
    codec: ARCHIVE_CODEC,
    compressors: COMPRESSORS,
    rowGroupSize: Math.max(events.length, 1),
    createdBy: "sms-campaigns archive",
  });
  return new Uint8Array(buffer);
}

/**
 * Row order inside a file: by the stream's partition key (subscriber, else phone number), then time.
 * Each person's events stay in time order (what a replay needs), a retried batch yields
 * byte-identical files whatever order its records came in, and a message's rows sit together, so
 * their repeated ids and numbers compress better.
 */
export const rowOrder = (a: SmsEvent, b: SmsEvent) =>
  compare(partitionKeyOf(a), partitionKeyOf(b)) ||
  compare(a.occurredAt, b.occurredAt) ||
  compare(a.eventId, b.eventId);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Events grouped by UTC date, one Parquet object per date: events/dt=YYYY-MM-DD/<batchId>.parquet. */
export function buildArchiveObjects(events: SmsEvent[], batchId: string): ArchiveObject[] {
  const byDate = new Map<string, SmsEvent[]>();
  for (const event of events) {
    const date = utcDateOf(event.occurredAt);
    const group = byDate.get(date);
    if (group) group.push(event);
    else byDate.set(date, [event]);
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, group]) => ({
      key: archiveKeyOf(date, batchId),
      body: encodeParquet(group.sort(rowOrder)),
      rows: group.length,
    }));
}

/**
 * Completes receipts from the message log first, so rows carry the number and our ids where known.
 * With a PendingReceiptStore, receipts still unknown are parked and written by a later batch,
 * completed (or with a null number once too old), removed only after the write.
 */
export async function archiveEvents(
  events: SmsEvent[],
  ports: Pick<Ports, "archive" | "messages"> & Partial<Pick<Ports, "clock" | "pendingReceipts" | "erasures">>,
  batchId: string,
  settings: ParkingSettings = {},
): Promise<ArchiveObject[]> {
  const attributed = await attributeWithParking(
    events,
    ports.messages,
    { clock: ports.clock },
    parkingOf("archive", ports, settings),
  );
  // An erased number's rows are dropped here, so a retried batch cannot write them back.
  const kept = ports.erasures ? await withoutErased(attributed.events, ports.erasures) : attributed.events;
  const objects = buildArchiveObjects(kept, batchId);
  for (const object of objects) await ports.archive.put(object.key, object.body, PARQUET_CONTENT_TYPE);
  await attributed.settle();
  return objects;
}

/**
 * Reads an archive object back into canonical events; absent fields stay absent. occurredAt comes
 * back in millisecond ISO form (the precision the archive stores).
 */
export async function readArchiveObject(body: Uint8Array): Promise<SmsEvent[]> {
  const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, compressors: DECOMPRESSORS });
  return rows.map((row) => {
    const event: Record<string, unknown> = {};
    for (const { name } of ARCHIVE_COLUMNS) {
      const value = row[name];
      if (value === null || value === undefined) continue;
      event[name] =
        value instanceof Date ? value.toISOString() : typeof value === "bigint" ? Number(value) : value;
    }
    return event as SmsEvent;
  });
}
