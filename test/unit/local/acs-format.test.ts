/**
 * The simulated carrier's ACS wire format: Event Grid deliveries of SMSDeliveryReportReceived and
 * SMSReceived, decoded by core's own decoder into the statuses, ids and fields the consumers use.
 */
import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../../core/events/decode";
import type { SmsEvent } from "../../../core/events/schema";
import {
  ACS_DELIVERY_DETAILS,
  ACS_EVENT_TYPES,
  acsFormat,
} from "../../../providers/local/carrier/acs-format";
import { FAILURE_STATUSES, type FinalStatus } from "../../../providers/local/carrier/fate";
import type { InboundFields, ReceiptFields } from "../../../providers/local/carrier/native";

const receipt = (status: FinalStatus, overrides: Partial<ReceiptFields> = {}): ReceiptFields => ({
  eventId: "5b0c2a0e-1111-4222-8333-944455556666",
  messageId: "Outgoing_20260616180000_msg-1",
  origination: "+18445550123",
  destination: "+12125551001",
  isoCountryCode: "US",
  messageType: "TRANSACTIONAL",
  status,
  statusDescription: "the carrier's own words",
  requestedAt: new Date("2026-06-16T18:00:00.000Z"),
  reportedAt: new Date("2026-06-16T18:00:04.000Z"),
  parts: 2,
  priceUsd: 0.0166,
  carrierFeeUsd: 0.003,
  encoding: "GSM",
  context: { campaignId: "cmp-1", journeyId: "welcome-series", subscriberId: "sub-1" },
  ...overrides,
});

const reply: InboundFields = {
  notificationId: "9c1f0000-aaaa-4bbb-8ccc-000000000001",
  from: "+12125551001",
  to: "+18445550123",
  body: "YES",
  keyword: "",
  inboundMessageId: "Incoming_20260616180100_in-1",
  previousPublishedMessageId: "Outgoing_20260616180000_msg-1",
  receivedAt: new Date("2026-06-16T18:01:00.000Z"),
};

const format = acsFormat();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const decodeOne = (bytes: Uint8Array): SmsEvent => {
  const result = decodeRecord(bytes);
  if (!result.ok) throw new Error(result.error.reason);
  expect(result.events).toHaveLength(1);
  return result.events[0];
};

describe("the ACS carrier format", () => {
  it("delivers each event as Event Grid does: a JSON array holding one event in the Event Grid schema", () => {
    const body = JSON.parse(text(format.receipt(receipt("DELIVERED"))));
    expect(Array.isArray(body)).toBe(true);
    expect(body).toHaveLength(1);
    expect(Object.keys(body[0]).sort()).toEqual(
      ["data", "dataVersion", "eventTime", "eventType", "id", "metadataVersion", "subject", "topic"].sort(),
    );
    expect(body[0]).toMatchObject({
      eventType: ACS_EVENT_TYPES.deliveryReport,
      subject: "/phonenumber/18445550123",
      data: {
        messageId: "Outgoing_20260616180000_msg-1",
        from: "+18445550123",
        to: "+12125551001",
        deliveryStatus: "Delivered",
        deliveryAttempts: [{ segmentsSucceeded: 2, segmentsFailed: 0 }],
        tag: "campaignId=cmp-1&journeyId=welcome-series&subscriberId=sub-1",
      },
    });
  });

  it("decodes a delivered report into a delivered event with our ids from the tag and its segments", () => {
    const event = decodeOne(format.receipt(receipt("DELIVERED")));
    expect(event).toMatchObject({
      kind: "delivered",
      provider: "azure-acs",
      phoneNumber: "+12125551001",
      messageId: "Outgoing_20260616180000_msg-1",
      campaignId: "cmp-1",
      journeyId: "welcome-series",
      subscriberId: "sub-1",
      status: "Delivered",
      parts: 2,
      occurredAt: "2026-06-16T18:00:04.000Z",
    });
  });

  it.each(FAILURE_STATUSES.map(([status]) => status))(
    "maps the carrier's %s to a Failed report whose details become the failure reason",
    (status) => {
      const body = JSON.parse(text(format.receipt(receipt(status))));
      expect(body[0].data.deliveryStatus).toBe("Failed");
      expect(body[0].data.deliveryAttempts).toEqual([
        expect.objectContaining({ segmentsSucceeded: 0, segmentsFailed: 2 }),
      ]);
      const event = decodeOne(format.receipt(receipt(status)));
      expect(event.kind).toBe("failed");
      expect(event.status).toBe("Failed");
      expect(event.failureReason).toBe(ACS_DELIVERY_DETAILS[status]);
    },
  );

  it("reports no price and no carrier fee, because ACS events carry none", () => {
    const body = text(format.receipt(receipt("DELIVERED")));
    expect(body).not.toMatch(/price|fee/i);
    const event = decodeOne(format.receipt(receipt("DELIVERED")));
    expect(event.priceUsd).toBeUndefined();
  });

  it("decodes a reply into a received event from the subscriber, its body classified by core, not by a keyword", () => {
    const body = JSON.parse(text(format.reply(reply)));
    expect(body[0]).toMatchObject({
      eventType: ACS_EVENT_TYPES.received,
      data: { messageId: reply.inboundMessageId, from: reply.from, to: reply.to, message: "YES" },
    });
    expect(body[0].data).not.toHaveProperty("keyword");
    const event = decodeOne(format.reply(reply));
    expect(event).toMatchObject({
      kind: "received",
      provider: "azure-acs",
      phoneNumber: "+12125551001",
      body: "YES",
      occurredAt: "2026-06-16T18:01:00.000Z",
    });
  });

  it("always names both numbers, so the carrier never sends it a phone-less receipt", () => {
    expect(format.phonelessReceipts).toBe(false);
  });

  it("gives a half-cut delivery (poison) that core refuses to decode", () => {
    const bytes = format.receipt(receipt("DELIVERED"));
    const result = decodeRecord(bytes.slice(0, Math.floor(bytes.length / 2)));
    expect(result.ok).toBe(false);
  });
});
