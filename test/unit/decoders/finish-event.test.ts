import { describe, expect, it } from "vitest";
import { type EventDraft, finishEvent } from "../../../core/events/formats/build";
import { SMS_EVENT_FIELDS } from "../../../core/events/schema";

/** A draft with every field the schema has, so a field the event builder forgets shows up. */
const everyField: EventDraft = {
  eventId: "0123456789abcdef0123456789abcdef",
  kind: "received",
  occurredAt: "2026-11-24T15:00:00.000Z",
  provider: "aws-eum",
  senderNumber: "+18445550123",
  subscriberId: "sub-1",
  campaignId: "cmp-1",
  journeyId: "jrn-1",
  messageId: "msg-1",
  inReplyTo: "msg-0",
  status: "RECEIVED",
  failureReason: "none",
  body: "YES",
  keyword: "KEYWORD",
  parts: 1,
  priceUsd: 0.00581,
  carrierFeeUsd: 0.003,
  countryCode: "us",
  messageType: "promotional",
};

describe("finishEvent", () => {
  it("copies every schema field of a full draft, in the schema's field order", () => {
    const result = finishEvent("test format", everyField, "+12065550123");
    if (!result.ok) throw new Error(result.error.reason);
    expect(Object.keys(result.events[0])).toEqual(SMS_EVENT_FIELDS);
    expect(result.events[0]).toMatchObject({
      phoneNumber: "+12065550123",
      countryCode: "US",
      schemaVersion: 1,
    });
  });

  it("leaves out the fields a draft lacks instead of emitting them as undefined", () => {
    const result = finishEvent(
      "test format",
      {
        eventId: "e",
        kind: "sent",
        occurredAt: "2026-11-24T15:00:00.000Z",
        provider: "aws-eum",
        body: undefined,
      },
      "+12065550123",
    );
    if (!result.ok) throw new Error(result.error.reason);
    expect(Object.keys(result.events[0])).toEqual([
      "eventId",
      "schemaVersion",
      "kind",
      "occurredAt",
      "provider",
      "phoneNumber",
      "countryCode",
    ]);
  });
});
