import fc from "fast-check";
import { parquetMetadata, parquetSchema } from "hyparquet";
import { describe, expect, it } from "vitest";
import {
  EVENT_KINDS,
  MAX_PARTS,
  MESSAGE_TYPES,
  PROVIDERS,
  SMS_EVENT_FIELDS,
  type SmsEvent,
} from "../../../core/events/schema";
import {
  ARCHIVE_CODEC,
  ARCHIVE_PREFIX,
  archiveEvents,
  batchIdOf,
  buildArchiveObjects,
  PARQUET_CONTENT_TYPE,
  readArchiveObject,
} from "../../../core/processing/archive";
import { createMemoryPorts } from "../../../providers/local/runtime/memory";
import { smsEvent } from "./events";

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.string({ unit: "grapheme", maxLength: 40 });
const id = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 24 });

/** Any valid canonical event: every optional field independently present or absent. */
const eventArb: fc.Arbitrary<SmsEvent> = fc
  .record({
    eventId: fc.uuid(),
    schemaVersion: fc.constant(1 as const),
    kind: fc.constantFrom(...EVENT_KINDS),
    occurredAt: fc
      .date({
        min: new Date("2000-01-01T00:00:00Z"),
        max: new Date("2099-12-31T23:59:59Z"),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    provider: fc.constantFrom(...PROVIDERS),
    phoneNumber: fc.stringMatching(/^\+[1-9]\d{6,14}$/),
    senderNumber: optional(id),
    subscriberId: optional(id),
    campaignId: optional(id),
    journeyId: optional(id),
    messageId: optional(id),
    inReplyTo: optional(id),
    status: optional(text),
    failureReason: optional(text),
    body: optional(text),
    keyword: optional(text),
    // Up to the schema's limit: any part count the schema accepts must fit the archive's column.
    parts: optional(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constant(MAX_PARTS))),
    priceUsd: optional(fc.double({ min: 0, max: 10, noNaN: true })),
    carrierFeeUsd: optional(fc.double({ min: 0, max: 10, noNaN: true })),
    countryCode: optional(fc.constantFrom("US", "CA", "FR", "DE", "IN")),
    messageType: optional(fc.constantFrom(...MESSAGE_TYPES)),
  })
  .map((event) => Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)) as SmsEvent);

const byId = (events: SmsEvent[]) => [...events].sort((a, b) => a.eventId.localeCompare(b.eventId));

describe("archive Parquet objects", () => {
  it("round-trips every field of any batch, leaving absent fields absent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 30 }), async (events) => {
        const objects = buildArchiveObjects(events, "batch");
        const readBack = (await Promise.all(objects.map((o) => readArchiveObject(o.body)))).flat();
        expect(byId(readBack)).toEqual(byId(events));
        expect(objects.reduce((sum, o) => sum + o.rows, 0)).toBe(events.length);
      }),
      { numRuns: 60 },
    );
  });

  it("writes columns in SMS_EVENT_FIELDS order with a UTC timestamp and integer and double types", () => {
    const [object] = buildArchiveObjects([smsEvent({ kind: "sent", parts: 2, priceUsd: 0.0058 })], "b");
    const metadata = parquetMetadata(object.body.buffer.slice(0) as ArrayBuffer);
    const columns = parquetSchema(metadata).children.map((c) => c.element);
    expect(columns.map((c) => c.name)).toEqual(SMS_EVENT_FIELDS);
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(byName.occurredAt).toMatchObject({
      type: "INT64",
      logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true },
    });
    expect(byName.parts.type).toBe("INT32");
    expect(byName.schemaVersion.type).toBe("INT32");
    expect(byName.priceUsd.type).toBe("DOUBLE");
    expect(byName.body).toMatchObject({ type: "BYTE_ARRAY", converted_type: "UTF8" });
    expect(metadata.row_groups[0].columns[0].meta_data?.codec).toBe(ARCHIVE_CODEC);
  });

  it("writes byte-identical files for the same events in any order, so a retry overwrites with the same object", () => {
    const events = [
      smsEvent({ kind: "sent", phoneNumber: "+14255550102", messageId: "b" }),
      smsEvent({ kind: "sent", phoneNumber: "+14255550101", messageId: "a" }),
      smsEvent({
        kind: "delivered",
        phoneNumber: "+14255550101",
        messageId: "a",
        occurredAt: "2026-11-24T10:00:35.000Z",
      }),
    ];
    const [first] = buildArchiveObjects(events, "b");
    const [retry] = buildArchiveObjects([...events].reverse(), "b");
    expect(Buffer.from(retry.body).equals(Buffer.from(first.body))).toBe(true);
  });

  it("keeps each number's events in time order inside a file", async () => {
    const later = smsEvent({
      kind: "delivered",
      phoneNumber: "+14255550101",
      occurredAt: "2026-11-24T10:05:00.000Z",
    });
    const earlier = smsEvent({
      kind: "sent",
      phoneNumber: "+14255550101",
      occurredAt: "2026-11-24T10:00:00.000Z",
    });
    const other = smsEvent({
      kind: "sent",
      phoneNumber: "+14255550100",
      occurredAt: "2026-11-24T10:03:00.000Z",
    });
    const [object] = buildArchiveObjects([later, other, earlier], "b");
    expect((await readArchiveObject(object.body)).map((e) => e.eventId)).toEqual([
      other.eventId,
      earlier.eventId,
      later.eventId,
    ]);
  });

  it("partitions a batch by UTC date under Hive dt= keys", () => {
    const objects = buildArchiveObjects(
      [
        smsEvent({ kind: "sent", occurredAt: "2026-11-24T23:59:59.999Z" }),
        smsEvent({ kind: "delivered", occurredAt: "2026-11-25T00:00:00.000Z" }),
        smsEvent({ kind: "delivered", occurredAt: "2026-11-24T01:00:00.000Z" }),
      ],
      "abc123",
    );
    expect(objects.map((o) => [o.key, o.rows])).toEqual([
      [`${ARCHIVE_PREFIX}dt=2026-11-24/abc123.parquet`, 2],
      [`${ARCHIVE_PREFIX}dt=2026-11-25/abc123.parquet`, 1],
    ]);
  });

  it("uses the UTC date even when the timestamp carries an offset", () => {
    const [object] = buildArchiveObjects(
      [smsEvent({ kind: "sent", occurredAt: "2026-11-25T01:00:00.000+02:00" })],
      "b",
    );
    expect(object.key).toBe("events/dt=2026-11-24/b.parquet");
  });
});

describe("batchIdOf", () => {
  it("gives the same id for the same records in any order, and a different id for other records", () => {
    expect(batchIdOf(["a", "b", "c"])).toBe(batchIdOf(["c", "a", "b"]));
    expect(batchIdOf(["a", "b", "c"])).not.toBe(batchIdOf(["a", "b"]));
    expect(batchIdOf(["ab", "c"])).not.toBe(batchIdOf(["a", "bc"]));
  });
});

describe("archiveEvents", () => {
  it("overwrites the same keys when a batch is retried, never adding a second file", async () => {
    const ports = createMemoryPorts();
    const events = [
      smsEvent({ kind: "sent", occurredAt: "2026-11-24T10:00:00.000Z" }),
      smsEvent({ kind: "delivered", occurredAt: "2026-11-25T10:00:00.000Z" }),
    ];
    const batchId = batchIdOf(events.map((e) => e.eventId));
    await archiveEvents(events, ports, batchId);
    await archiveEvents([...events].reverse(), ports, batchIdOf(events.map((e) => e.eventId).reverse()));

    expect(await ports.archive.list(ARCHIVE_PREFIX)).toEqual([
      `events/dt=2026-11-24/${batchId}.parquet`,
      `events/dt=2026-11-25/${batchId}.parquet`,
    ]);
    expect(ports.archive.puts).toBe(4);
    expect(ports.archive.objects.get(`events/dt=2026-11-24/${batchId}.parquet`)?.contentType).toBe(
      PARQUET_CONTENT_TYPE,
    );
    const stored = await ports.archive.get(`events/dt=2026-11-25/${batchId}.parquet`);
    expect(await readArchiveObject(stored!)).toEqual([events[1]]);
  });
});
