import { describe, expect, it } from "vitest";
import {
  decodeAcsTag,
  decodeRecord,
  encodeAcsTag,
  encodeEvent,
  eventToJson,
  partitionKeyOf,
  SMS_EVENT_FIELDS,
  type SmsEvent,
} from "../../../core/events";
import { fixtureJson } from "./fixtures";

const canonical = fixtureJson("canonical-sent.json") as SmsEvent;

describe("encoding canonical events for the stream", () => {
  it("encodes an event to JSON bytes that decode back to the same event", () => {
    const result = decodeRecord(encodeEvent(canonical));
    expect(result).toEqual({ ok: true, events: [canonical] });
  });

  it("writes fields in the schema's order whatever order the object has", () => {
    const shuffled = Object.fromEntries(Object.entries(canonical).reverse()) as SmsEvent;
    const keys = Object.keys(JSON.parse(eventToJson(shuffled)));
    expect(keys).toEqual(SMS_EVENT_FIELDS.filter((field) => field in canonical));
  });

  it("partitions by subscriber so one person's events stay in order", () => {
    expect(partitionKeyOf(canonical)).toBe("sub-0042");
  });

  it("partitions by phone number when the subscriber is unknown", () => {
    const { subscriberId: _dropped, ...anonymous } = canonical;
    expect(partitionKeyOf(anonymous)).toBe("+14255550123");
  });
});

describe("the ACS tag convention", () => {
  it("round-trips our ids through a tag", () => {
    const ids = { campaignId: "cmp 1&2", journeyId: "jr=welcome", subscriberId: "sub-0042" };
    const tag = encodeAcsTag(ids);
    expect(tag).toBe("campaignId=cmp+1%262&journeyId=jr%3Dwelcome&subscriberId=sub-0042");
    expect(decodeAcsTag(tag)).toEqual(ids);
  });

  it("omits ids we do not have and gives no tag when there are none", () => {
    expect(encodeAcsTag({ campaignId: "cmp-1" })).toBe("campaignId=cmp-1");
    expect(encodeAcsTag({})).toBeUndefined();
  });

  it("reads ids from a JSON tag too", () => {
    expect(decodeAcsTag('{"campaignId":"cmp-1","subscriberId":"sub-9","other":1}')).toEqual({
      campaignId: "cmp-1",
      subscriberId: "sub-9",
    });
  });

  it("finds no ids in someone else's tag", () => {
    expect(decodeAcsTag("Optional customer-tag set in the original message")).toEqual({});
    expect(decodeAcsTag("{not json")).toEqual({});
    expect(decodeAcsTag(undefined)).toEqual({});
  });
});
