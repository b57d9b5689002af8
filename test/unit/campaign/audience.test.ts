import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  type AudienceEntry,
  readAudienceCsv,
  readAudienceDirectory,
  readPhoneNumberCsv,
} from "../../../core/campaign/audience";
import { CompactSeenSet } from "../../../core/campaign/seen-set";
import type { Segment } from "../../../core/campaign/segment";
import { MemorySubscriberDirectory } from "../../../providers/local/runtime/memory";

async function entriesOf(csv: string, segment?: Segment): Promise<AudienceEntry[]> {
  const entries: AudienceEntry[] = [];
  for await (const entry of readAudienceCsv(Readable.from([csv]), { segment })) entries.push(entry);
  return entries;
}

describe("reading the audience from CSV", () => {
  it("normalizes numbers to E.164 and keeps extra columns as template attributes", async () => {
    const entries = await entriesOf(
      "subscriber_id,phone_number,time_zone,first_name\ns1,(212) 555-1234,America/New_York,Ana\ns2,+44 7400 123456,,Bob\n",
    );
    expect(entries).toEqual([
      {
        kind: "member",
        line: 2,
        country: "US",
        subscriber: {
          subscriberId: "s1",
          phoneNumber: "+12125551234",
          timeZone: "America/New_York",
          attributes: { first_name: "Ana" },
        },
      },
      {
        kind: "member",
        line: 3,
        country: "GB",
        subscriber: { subscriberId: "s2", phoneNumber: "+447400123456", attributes: { first_name: "Bob" } },
      },
    ]);
  });

  it("reports invalid numbers, duplicates and malformed rows by line and keeps every good row", async () => {
    const csv = [
      "subscriber_id,phone_number,first_name",
      "s1,+12125551234,Ana",
      "s2,12345,Bad",
      "s3,212-555-1234,Same number as s1",
      "s1,+13125550000,Same id as s1",
      "s4,+13125551111,Too,many,fields",
      's5,"+13125552222,Unclosed quote',
    ].join("\n");
    const entries = await entriesOf(`${csv}\ns6,+13125553333,Last\n`);
    const summary = entries.map((e) => `${e.line}:${e.kind}`);
    expect(summary).toContain("2:member");
    expect(summary).toContain("3:invalid_number");
    expect(summary).toContain("4:duplicate");
    expect(summary).toContain("5:duplicate");
    expect(summary).toContain("6:bad_row");
    expect(entries.filter((e) => e.kind === "member").map((e) => e.line)).toEqual([2]);
    // The unclosed quote swallows the rest of the file as one field; it is reported, not silent.
    expect(entries.filter((e) => e.kind === "bad_row").length).toBeGreaterThanOrEqual(1);
  });

  it("carries on after a row with the wrong number of fields", async () => {
    const entries = await entriesOf("subscriber_id,phone_number\ns1,+12125551234,extra\ns2,+12125551235\n");
    expect(entries.map((e) => [e.line, e.kind])).toEqual([
      [2, "bad_row"],
      [3, "member"],
    ]);
  });

  it("fails with one clear message when a required column is missing", async () => {
    await expect(entriesOf("id,phone\n1,+12125551234\n")).rejects.toThrow(
      "subscribers CSV is missing required column(s): subscriber_id, phone_number",
    );
  });

  it("keeps only the segment's members", async () => {
    const csv =
      "subscriber_id,phone_number,tier,city\ns1,+12125551234,gold,NYC\ns2,+12125551235,silver,\ns3,+12125551236,bronze,LA\n";
    const ids = async (segment: Segment) =>
      (await entriesOf(csv, segment)).map((e) => (e.kind === "member" ? e.subscriber.subscriberId : e.kind));
    expect(await ids([{ attribute: "tier", op: "eq", value: "gold" }])).toEqual(["s1"]);
    expect(await ids([{ attribute: "tier", op: "in", value: ["gold", "silver"] }])).toEqual(["s1", "s2"]);
    expect(await ids([{ attribute: "city", op: "exists" }])).toEqual(["s1", "s3"]);
    expect(
      await ids([
        { attribute: "city", op: "exists" },
        { attribute: "tier", op: "eq", value: "bronze" },
      ]),
    ).toEqual(["s3"]);
  });

  it("reads an opt-out list into E.164 numbers", async () => {
    const numbers = await readPhoneNumberCsv(
      Readable.from(["phone_number\n(212) 555-1234\n+447400123456\nnot a number\n"]),
    );
    expect([...numbers].sort()).toEqual(["+12125551234", "+447400123456"]);
  });
});

describe("reading the audience from the subscriber directory", () => {
  it("applies the same normalization, duplicate rule and segment as the CSV path", async () => {
    const directory = new MemorySubscriberDirectory([
      { subscriberId: "d1", phoneNumber: "+1 (212) 555-1234", attributes: { tier: "gold" } },
      { subscriberId: "d2", phoneNumber: "+12125551234", attributes: { tier: "gold" } },
      { subscriberId: "d3", phoneNumber: "nope", attributes: { tier: "gold" } },
      {
        subscriberId: "d4",
        phoneNumber: "+13125550000",
        timeZone: "America/Chicago",
        attributes: { tier: "silver" },
      },
    ]);
    const entries: AudienceEntry[] = [];
    for await (const entry of readAudienceDirectory(directory, {
      segment: [{ attribute: "tier", op: "eq", value: "gold" }],
    })) {
      entries.push(entry);
    }
    expect(entries.map((e) => e.kind)).toEqual(["member", "duplicate", "invalid_number"]);
    expect(entries[0]).toMatchObject({
      subscriber: { subscriberId: "d1", phoneNumber: "+12125551234" },
      country: "US",
    });
  });
});

describe("the compact seen-set", () => {
  it("remembers a hundred thousand keys exactly and grows past its initial size", () => {
    const set = new CompactSeenSet();
    let added = 0;
    for (let i = 0; i < 100_000; i++) if (set.add(`p:+1212${i}`)) added++;
    expect(added).toBe(100_000);
    expect(set.size).toBe(100_000);
    let again = 0;
    for (let i = 0; i < 100_000; i += 7) if (set.add(`p:+1212${i}`)) again++;
    expect(again).toBe(0);
    expect(set.has("p:+1212100000")).toBe(false);
    expect(set.has("p:+121299999")).toBe(true);
  });
});
