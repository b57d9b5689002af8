/**
 * The archive's one schema: every column of the Parquet files under events/dt=YYYY-MM-DD/, its
 * logical type and whether it is always present, plus the `dt` partition. The Parquet writer
 * (core/processing/archive.ts), the Glue table (AWS), the BigQuery external table (GCP) and the
 * Synapse OPENROWSET view (Azure, queries/azure/events-view.sql) are all derived from it, and
 * test/infra/archiveSchema.test.ts checks them against real archive files column for column.
 *
 * The archive is at-least-once: a redelivered record is archived again, in another batch's file
 * (in a 500-subscriber run, 51 received rows held 50 distinct event ids). No column is unique, so
 * every query counts DISTINCT eventId or reads through the deduplicating `events` view
 * (queries/views/events.sql); `events_raw` holds the rows as written.
 */
import { SMS_EVENT_FIELDS, type SmsEvent } from "./schema";

/** `timestamp` is INT64 milliseconds since the epoch, adjusted to UTC. */
export type ArchiveType = "string" | "int32" | "timestamp" | "double";

export interface ArchiveColumn {
  name: keyof SmsEvent;
  type: ArchiveType;
  /** Present in every row; an optional column is null where the event lacks the field. */
  required: boolean;
}

/** Keyed by the event's fields, so adding one to SmsEvent fails to compile until it is typed here. */
const COLUMN_SPECS: Record<keyof SmsEvent, Omit<ArchiveColumn, "name">> = {
  eventId: { type: "string", required: true },
  schemaVersion: { type: "int32", required: true },
  kind: { type: "string", required: true },
  occurredAt: { type: "timestamp", required: true },
  provider: { type: "string", required: true },
  // Null on a receipt the message log could not complete (its message is not logged yet).
  phoneNumber: { type: "string", required: false },
  senderNumber: { type: "string", required: false },
  subscriberId: { type: "string", required: false },
  campaignId: { type: "string", required: false },
  journeyId: { type: "string", required: false },
  messageId: { type: "string", required: false },
  inReplyTo: { type: "string", required: false },
  status: { type: "string", required: false },
  failureReason: { type: "string", required: false },
  body: { type: "string", required: false },
  keyword: { type: "string", required: false },
  parts: { type: "int32", required: false },
  priceUsd: { type: "double", required: false },
  carrierFeeUsd: { type: "double", required: false },
  countryCode: { type: "string", required: false },
  messageType: { type: "string", required: false },
};

/** The file's columns, in the canonical field order (SMS_EVENT_FIELDS). */
export const ARCHIVE_COLUMNS: readonly ArchiveColumn[] = SMS_EVENT_FIELDS.map((name) => ({
  name,
  ...COLUMN_SPECS[name],
}));

/**
 * The Hive partition: a path segment `dt=2026-11-24`, the event's UTC date, never a column inside
 * the file. Declared a string everywhere so `dt = '2026-11-24'` means the same on every engine.
 */
export const ARCHIVE_PARTITION = { name: "dt", type: "string", format: "yyyy-mm-dd" } as const;
