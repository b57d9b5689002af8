import { describe, expect, it } from "vitest";
import { type DecodeResult, decodeRecord, type SmsEvent, SmsEventSchema } from "../../../core/events";
import { fixtureBytes } from "./fixtures";

const RECEIVED_AT = "2026-11-24T09:30:00.000Z";
const OUR_IDS = { subscriberId: "sub-0042", campaignId: "cmp-spring-2026", journeyId: "jr-welcome" };

function eventsOf(result: DecodeResult): SmsEvent[] {
  if (!result.ok) throw new Error(`expected events, got ${result.error.code}: ${result.error.reason}`);
  return result.events;
}

/** Each documentation sample and what the canonical event must say about it (eventId is checked apart). */
const CASES: {
  fixture: string;
  receivedAt?: string;
  expected: Omit<SmsEvent, "eventId" | "schemaVersion">;
}[] = [
  {
    fixture: "pinpoint-sms-success.json",
    expected: {
      kind: "delivered",
      occurredAt: "2019-03-20T18:02:34.322Z",
      provider: "aws-pinpoint",
      phoneNumber: "+14255550199",
      senderNumber: "+12065550142",
      campaignId: "52dc44b35c4742c98c5935269example",
      messageId: "1111-2222-3333",
      status: "DELIVERED",
      parts: 1,
      priceUsd: 0.00645,
      countryCode: "US",
      messageType: "transactional",
    },
  },
  {
    fixture: "pinpoint-sms-buffered.derived.json",
    expected: {
      kind: "queued",
      occurredAt: "2019-03-20T18:02:34.322Z",
      provider: "aws-pinpoint",
      phoneNumber: "+14255550199",
      senderNumber: "+12065550142",
      campaignId: "52dc44b35c4742c98c5935269example",
      messageId: "1111-2222-3333",
      status: "PENDING",
      parts: 1,
      countryCode: "US",
      messageType: "transactional",
    },
  },
  {
    fixture: "pinpoint-sms-failure.derived.json",
    expected: {
      kind: "failed",
      occurredAt: "2019-03-20T18:02:34.322Z",
      provider: "aws-pinpoint",
      phoneNumber: "+14255550199",
      senderNumber: "+12065550142",
      campaignId: "52dc44b35c4742c98c5935269example",
      messageId: "1111-2222-3333",
      status: "UNREACHABLE",
      failureReason: "UNREACHABLE",
      parts: 1,
      priceUsd: 0.00645,
      countryCode: "US",
      messageType: "transactional",
    },
  },
  {
    fixture: "pinpoint-sms-optout.derived.json",
    expected: {
      kind: "opted_out",
      occurredAt: "2019-03-20T18:02:34.322Z",
      provider: "aws-pinpoint",
      phoneNumber: "+14255550199",
      senderNumber: "+12065550142",
      ...OUR_IDS,
      messageId: "1111-2222-3333",
      status: "OPTED_OUT",
      parts: 1,
      countryCode: "US",
      messageType: "transactional",
    },
  },
  {
    fixture: "eum-text-successful.json",
    expected: {
      kind: "sent",
      occurredAt: "2023-06-17T04:11:43.470Z",
      provider: "aws-eum",
      phoneNumber: "+14255550156",
      senderNumber: "+12065550152",
      messageId: "862a8790-60c0-4430-9b2b-658bdexample",
      status: "SUCCESSFUL",
      parts: 1,
      priceUsd: 0.09582,
      carrierFeeUsd: 0,
      countryCode: "US",
      messageType: "promotional",
    },
  },
  {
    fixture: "eum-text-queued.derived.json",
    expected: {
      kind: "queued",
      occurredAt: "2023-06-17T04:11:43.470Z",
      provider: "aws-eum",
      phoneNumber: "+14255550156",
      senderNumber: "+12065550152",
      ...OUR_IDS,
      messageId: "862a8790-60c0-4430-9b2b-658bdexample",
      status: "QUEUED",
      parts: 1,
      countryCode: "US",
      messageType: "promotional",
    },
  },
  {
    fixture: "eum-text-delivered.derived.json",
    expected: {
      kind: "delivered",
      occurredAt: "2023-06-17T04:11:43.470Z",
      provider: "aws-eum",
      phoneNumber: "+14255550156",
      senderNumber: "+12065550152",
      ...OUR_IDS,
      messageId: "862a8790-60c0-4430-9b2b-658bdexample",
      status: "DELIVERED",
      parts: 1,
      priceUsd: 0.09582,
      carrierFeeUsd: 0,
      countryCode: "US",
      messageType: "promotional",
    },
  },
  {
    fixture: "eum-text-carrier-unreachable.derived.json",
    expected: {
      kind: "failed",
      occurredAt: "2023-06-17T04:11:43.470Z",
      provider: "aws-eum",
      phoneNumber: "+14255550156",
      senderNumber: "+12065550152",
      ...OUR_IDS,
      messageId: "862a8790-60c0-4430-9b2b-658bdexample",
      status: "CARRIER_UNREACHABLE",
      failureReason: "Message delivery failed due to a transient error in the carrier network",
      parts: 1,
      priceUsd: 0.09582,
      carrierFeeUsd: 0,
      countryCode: "US",
      messageType: "promotional",
    },
  },
  {
    fixture: "eum-text-blocked.derived.json",
    expected: {
      kind: "failed",
      occurredAt: "2023-06-17T04:11:43.470Z",
      provider: "aws-eum",
      phoneNumber: "+14255550156",
      senderNumber: "+12065550152",
      messageId: "862a8790-60c0-4430-9b2b-658bdexample",
      status: "BLOCKED",
      failureReason: "Message has been blocked by the recipient's carrier",
      parts: 1,
      countryCode: "US",
      messageType: "promotional",
    },
  },
  // AWS's own EventBridge samples carry no destinationPhoneNumber: the receipt decodes without a
  // number, and the consumers complete it from the message log by messageId.
  {
    fixture: "eum-eventbridge-delivered.json",
    expected: {
      kind: "delivered",
      occurredAt: "2024-10-16T17:21:39.998Z",
      provider: "aws-eum",
      senderNumber: "+18445550123",
      messageId: "9539975a-e71f-45f3-b496-8d98dc098a77",
      status: "DELIVERED",
      parts: 1,
      priceUsd: 0.00581,
      carrierFeeUsd: 0.003,
      countryCode: "US",
      messageType: "promotional",
    },
  },
  {
    fixture: "eum-eventbridge-sender-id.json",
    expected: {
      kind: "sent",
      occurredAt: "2025-10-01T18:20:41.377Z",
      provider: "aws-eum",
      senderNumber: "VAJZNBLLDX",
      messageId: "ed23196c-75ce-4727-93ee-7bf72b64998f",
      status: "SUCCESSFUL",
      parts: 1,
      priceUsd: 0.06087,
      carrierFeeUsd: 0,
      countryCode: "ES",
      messageType: "transactional",
    },
  },
  {
    fixture: "eum-eventbridge-with-destination.derived.json",
    expected: {
      kind: "delivered",
      occurredAt: "2024-10-16T17:21:39.998Z",
      provider: "aws-eum",
      phoneNumber: "+14255550156",
      senderNumber: "+18445550123",
      messageId: "9539975a-e71f-45f3-b496-8d98dc098a77",
      status: "DELIVERED",
      parts: 1,
      priceUsd: 0.00581,
      carrierFeeUsd: 0.003,
      countryCode: "US",
      messageType: "promotional",
    },
  },
  {
    fixture: "two-way-inbound.json",
    receivedAt: RECEIVED_AT,
    expected: {
      kind: "received",
      occurredAt: RECEIVED_AT,
      provider: "aws-eum",
      phoneNumber: "+14255550182",
      senderNumber: "+12125550101",
      messageId: "cae173d2-66b9-564c-8309-21f858e9fb84",
      inReplyTo: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      body: "EXAMPLE",
      keyword: "JOIN",
      countryCode: "US",
    },
  },
  {
    fixture: "two-way-sns-notification.json",
    expected: {
      kind: "received",
      occurredAt: "2012-05-02T00:54:06.655Z",
      provider: "aws-eum",
      phoneNumber: "+14255550182",
      senderNumber: "+12125550101",
      messageId: "cae173d2-66b9-564c-8309-21f858e9fb84",
      inReplyTo: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      body: "EXAMPLE",
      keyword: "JOIN",
      countryCode: "US",
    },
  },
  ...["acs-delivery-report.eventgrid.json", "acs-delivery-report.pascalcase.eventgrid.json"].map(
    (fixture) => ({
      fixture,
      expected: {
        kind: "delivered" as const,
        occurredAt: "2020-09-18T00:22:20.285Z",
        provider: "azure-acs" as const,
        phoneNumber: "+15555555555",
        senderNumber: "+15555555555",
        messageId: "Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910",
        status: "Delivered",
        parts: 1,
      },
    }),
  ),
  {
    fixture: "acs-delivery-report.cloudevent.derived.json",
    expected: {
      kind: "delivered",
      occurredAt: "2020-09-18T00:22:20.285Z",
      provider: "azure-acs",
      phoneNumber: "+15555555555",
      senderNumber: "+15555555555",
      messageId: "Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910",
      status: "Delivered",
      parts: 1,
    },
  },
  {
    fixture: "acs-delivery-report-failed-tagged.eventgrid.derived.json",
    expected: {
      kind: "failed",
      occurredAt: "2020-09-18T00:22:20.285Z",
      provider: "azure-acs",
      phoneNumber: "+15555555555",
      senderNumber: "+15555555555",
      ...OUR_IDS,
      messageId: "Outgoing_20200918002213f00dfeed-0cbf-4304-9b03-1546683bb911",
      status: "Failed",
      failureReason: "Message could not be delivered to the handset.",
      parts: 2,
    },
  },
  ...["acs-sms-received.eventgrid.json", "acs-sms-received.cloudevent.derived.json"].map((fixture) => ({
    fixture,
    expected: {
      kind: "received" as const,
      occurredAt: "2020-09-18T00:27:45.320Z",
      provider: "azure-acs" as const,
      phoneNumber: "+15555555555",
      senderNumber: "+15555555555",
      messageId: "Incoming_20200918002745d29ebbea-3341-4466-9690-0a03af35228e",
      body: "Great to connect with Azure Communication Services events",
      parts: 1,
    },
  })),
  {
    fixture: "twilio-inbound.txt",
    receivedAt: RECEIVED_AT,
    expected: {
      kind: "received",
      occurredAt: RECEIVED_AT,
      provider: "twilio",
      phoneNumber: "+14017122661",
      senderNumber: "+14155550100",
      messageId: "SMXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
      status: "received",
      body: "Ahoy! STOP",
      parts: 1,
      countryCode: "US",
    },
  },
  {
    fixture: "twilio-status-sent.txt",
    receivedAt: RECEIVED_AT,
    expected: {
      kind: "sent",
      occurredAt: RECEIVED_AT,
      provider: "twilio",
      phoneNumber: "+15558675310",
      senderNumber: "+15017122661",
      messageId: "SMQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
      status: "sent",
    },
  },
  {
    fixture: "twilio-status-delivered.txt",
    receivedAt: RECEIVED_AT,
    expected: {
      kind: "delivered",
      occurredAt: RECEIVED_AT,
      provider: "twilio",
      phoneNumber: "+15558675310",
      senderNumber: "+15017122661",
      messageId: "SMYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY",
      status: "delivered",
    },
  },
  {
    fixture: "twilio-status-undelivered.txt",
    receivedAt: RECEIVED_AT,
    expected: {
      kind: "failed",
      occurredAt: RECEIVED_AT,
      provider: "twilio",
      phoneNumber: "+15558675310",
      senderNumber: "+15017122661",
      messageId: "SMZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
      status: "undelivered",
      failureReason: "Twilio error 30003",
    },
  },
];

describe("decoding the providers' documented payloads", () => {
  it.each(CASES)(
    "decodes $fixture into the canonical event it describes",
    ({ fixture, receivedAt, expected }) => {
      const [event, ...others] = eventsOf(
        decodeRecord(fixtureBytes(fixture), receivedAt ? { receivedAt } : {}),
      );
      expect(others).toHaveLength(0);
      const { eventId, schemaVersion, ...fields } = event;
      expect(fields).toEqual(expected);
      expect(schemaVersion).toBe(1);
      expect(eventId).toMatch(/^[0-9a-f]{32}$/);
      expect(SmsEventSchema.safeParse(event).success).toBe(true);
    },
  );

  it.each(CASES)("emits no key whose value is undefined for $fixture", ({ fixture, receivedAt }) => {
    const [event] = eventsOf(decodeRecord(fixtureBytes(fixture), { receivedAt: receivedAt ?? RECEIVED_AT }));
    expect(Object.entries(event).filter(([, value]) => value === undefined)).toEqual([]);
  });

  it("gives the same native event the same id every time, whatever time it was received", () => {
    const first = eventsOf(
      decodeRecord(fixtureBytes("twilio-status-delivered.txt"), { receivedAt: RECEIVED_AT }),
    );
    const again = eventsOf(
      decodeRecord(fixtureBytes("twilio-status-delivered.txt"), { receivedAt: "2026-11-25T00:00:00.000Z" }),
    );
    expect(again[0].eventId).toBe(first[0].eventId);
  });

  it("gives distinct native events distinct ids", () => {
    const ids = CASES.map(
      ({ fixture, receivedAt }) => eventsOf(decodeRecord(fixtureBytes(fixture), { receivedAt }))[0].eventId,
    );
    // The camelCase and PascalCase ACS samples, the Event Grid and CloudEvents copies, the bare
    // and SNS-wrapped two-way message, and the EventBridge delivery with and without its number are
    // the same native events, so they share their ids.
    expect(new Set(ids).size).toBe(CASES.length - 5);
  });

  it("reads the same event from a text record as from a byte record", () => {
    const fromBytes = decodeRecord(fixtureBytes("eum-text-successful.json"));
    const fromText = decodeRecord(new TextDecoder().decode(fixtureBytes("eum-text-successful.json")));
    expect(fromText).toEqual(fromBytes);
  });

  it("passes a canonical event through unchanged", () => {
    const raw = fixtureBytes("canonical-sent.json");
    expect(eventsOf(decodeRecord(raw))).toEqual([JSON.parse(new TextDecoder().decode(raw))]);
  });
});
