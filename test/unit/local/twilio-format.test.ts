import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../../core/events/decode";
import {
  FAILURE_STATUSES,
  type FinalStatus,
  STATUS_DESCRIPTIONS,
} from "../../../providers/local/carrier/fate";
import type { ReceiptFields } from "../../../providers/local/carrier/native";
import { rawDlrDoneDateOf, twilioFormat } from "../../../providers/local/carrier/twilio-format";
import { twilioSignatureOf } from "../../../providers/local/clouds/gcp-twilio-ingress";

const TOKEN = "0123456789abcdef0123456789abcdef";
const URL = "http://127.0.0.1:8080/";
const format = twilioFormat();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const params = (bytes: Uint8Array) => Object.fromEntries(new URLSearchParams(text(bytes)));

const receipt = (status: FinalStatus): ReceiptFields => ({
  eventId: "e-1",
  messageId: "7b0c3c1e-1111-4222-8333-944445555666",
  origination: "+15550100000",
  destination: "+14255550123",
  isoCountryCode: "US",
  messageType: "TRANSACTIONAL",
  status,
  statusDescription: STATUS_DESCRIPTIONS[status],
  requestedAt: new Date("2026-06-16T18:00:00.000Z"),
  reportedAt: new Date("2026-06-16T18:00:04.000Z"),
  parts: 1,
  priceUsd: 0.00581,
  carrierFeeUsd: 0.003,
  encoding: "GSM",
});

const reply = (body: string) =>
  format.reply({
    notificationId: "n-1",
    from: "+14255550123",
    to: "+15550100000",
    body,
    keyword: format.keywordOf("free_text"),
    inboundMessageId: "0f9e8d7c-6b5a-4948-8372-615049382716",
    previousPublishedMessageId: "7b0c3c1e-1111-4222-8333-944445555666",
    receivedAt: new Date("2026-06-16T18:05:00.000Z"),
  });

const decoded = (bytes: Uint8Array) => {
  const result = decodeRecord(bytes, { receivedAt: "2026-06-16T18:00:05.000Z" });
  if (!result.ok) throw new Error(result.error.reason);
  return result.events[0];
};

describe("the Twilio carrier format", () => {
  it("signs a status callback so the webhook's own verifier (twilio.validateRequest) accepts it, and nothing else", () => {
    const body = format.receipt(receipt("DELIVERED"));
    const signature = twilioSignatureOf(TOKEN, URL, text(body));
    expect(twilio.validateRequest(TOKEN, signature, URL, params(body))).toBe(true);
    expect(twilio.validateRequest(TOKEN, signature, `${URL}other`, params(body))).toBe(false);
    expect(twilio.validateRequest("f".repeat(32), signature, URL, params(body))).toBe(false);
    const tampered = { ...params(body), MessageStatus: "failed" };
    expect(twilio.validateRequest(TOKEN, signature, URL, tampered)).toBe(false);
  });

  it("posts a delivered receipt that core decodes as delivered to the recipient, with no price or carrier fee", () => {
    const body = format.receipt(receipt("DELIVERED"));
    expect(params(body)).toMatchObject({
      MessageStatus: "delivered",
      SmsStatus: "delivered",
      To: "+14255550123",
      From: "+15550100000",
      RawDlrDoneDate: "2606161800",
    });
    expect(params(body).ErrorCode).toBeUndefined();
    const event = decoded(body);
    expect(event).toMatchObject({
      kind: "delivered",
      provider: "twilio",
      phoneNumber: "+14255550123",
      messageId: receipt("DELIVERED").messageId,
      occurredAt: "2026-06-16T18:00:05.000Z",
    });
    // Twilio's callbacks carry no price: absent on purpose, not zero.
    expect(event.priceUsd).toBeUndefined();
    expect(event.carrierFeeUsd).toBeUndefined();
  });

  it.each(FAILURE_STATUSES.map(([status]) => status))(
    "posts %s as an undelivered or failed callback with its Twilio error code, decoded as failed",
    (status) => {
      const body = params(format.receipt(receipt(status)));
      expect(["undelivered", "failed"]).toContain(body.MessageStatus);
      expect(body.ErrorCode).toMatch(/^30\d{3}$/);
      const event = decoded(format.receipt(receipt(status)));
      expect(event.kind).toBe("failed");
      expect(event.failureReason).toBe(`Twilio error ${body.ErrorCode}`);
    },
  );

  it("reports a validity-period expiry as failed (never sent) with 30036 and no done date", () => {
    expect(params(format.receipt(receipt("TTL_EXPIRED")))).toMatchObject({
      MessageStatus: "failed",
      ErrorCode: "30036",
    });
    expect(params(format.receipt(receipt("TTL_EXPIRED"))).RawDlrDoneDate).toBeUndefined();
  });

  it("posts a reply as an incoming-message webhook that decodes as received from the subscriber", () => {
    const body = reply("Can I move it to Friday?");
    const sent = params(body);
    expect(sent.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent).toMatchObject({ Body: "Can I move it to Friday?", NumSegments: "1", FromCountry: "US" });
    expect(twilio.validateRequest(TOKEN, twilioSignatureOf(TOKEN, URL, text(body)), URL, sent)).toBe(true);
    expect(decoded(body)).toMatchObject({
      kind: "received",
      phoneNumber: "+14255550123",
      body: "Can I move it to Friday?",
      parts: 1,
      messageId: sent.MessageSid,
    });
  });

  it("gives the same reply the same bytes, so a redelivered webhook decodes to the same event id", () => {
    expect(decoded(reply("STOP")).eventId).toBe(decoded(reply("STOP")).eventId);
  });

  it("writes the done date as Twilio's YYMMDDhhmm", () => {
    expect(rawDlrDoneDateOf(new Date("2026-01-02T03:04:59.000Z"))).toBe("2601020304");
  });
});

describe("a Twilio status callback cut short (a broken transport)", () => {
  it("does not decode as a reply: it has lost MessageStatus and To, and core refuses it", () => {
    const whole = text(format.receipt(receipt("CARRIER_UNREACHABLE")));
    const cut = new TextEncoder().encode(whole.slice(0, Math.floor(whole.length / 2)));
    expect(new URLSearchParams(text(cut)).has("MessageSid")).toBe(true);
    const result = decodeRecord(cut, { receivedAt: "2026-06-16T18:00:05.000Z" });
    expect(result.ok).toBe(false);
  });
});
