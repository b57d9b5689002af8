/**
 * Twilio sender against the real `twilio` REST client. No emulator exists for Twilio, so the HTTP
 * layer is intercepted through the client's `httpClient` option, and the test asserts the exact
 * request the client hands to it (method, URI, credentials and form fields).
 */
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import type { SendRequest } from "../../core/ports";
import { TwilioSmsSender } from "../../providers/gcp/runtime/twilio-sender";

interface TwilioHttpRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  data?: Record<string, unknown>;
}

const ACCOUNT_SID = `AC${"0".repeat(32)}`;

function senderAnswering(status: number, body: Record<string, unknown>) {
  const requests: TwilioHttpRequest[] = [];
  const httpClient = {
    async request(options: TwilioHttpRequest) {
      requests.push(options);
      return { statusCode: status, body: JSON.stringify(body), headers: {} };
    },
  };
  const client = twilio(ACCOUNT_SID, "auth-token", { httpClient: httpClient as never });
  const sender = new TwilioSmsSender(client, {
    messagingServiceSid: `MG${"1".repeat(32)}`,
    statusCallbackUrl: "https://sms.example.com/twilio/status",
  });
  return { sender, requests };
}

const request: SendRequest = {
  to: "+14155550123",
  body: "Welcome!",
  messageType: "promotional",
  campaignId: "spring-sale",
  subscriberId: "sub-9",
  idempotencyKey: "campaign:spring-sale/sub-9/send",
  ttlSeconds: 600,
};

describe("Twilio sender", () => {
  it("creates the message through the Messaging Service with our status callback", async () => {
    const { sender, requests } = senderAnswering(201, {
      sid: "SM0123",
      status: "accepted",
      num_segments: "1",
      price: null,
      price_unit: "USD",
    });
    expect(await sender.send(request)).toEqual({ status: "sent", messageId: "SM0123", parts: 1 });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: "post",
      uri: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
      username: ACCOUNT_SID,
      password: "auth-token",
      data: {
        To: "+14155550123",
        Body: "Welcome!",
        MessagingServiceSid: `MG${"1".repeat(32)}`,
        StatusCallback: "https://sms.example.com/twilio/status",
        ValidityPeriod: 600,
      },
    });
  });

  it("reports Twilio's segment count and USD price when it has them", async () => {
    const { sender } = senderAnswering(201, {
      sid: "SM1",
      num_segments: "3",
      price: "-0.02370",
      price_unit: "USD",
    });
    expect(await sender.send(request)).toEqual({
      status: "sent",
      messageId: "SM1",
      parts: 3,
      priceUsd: 0.0237,
    });
  });

  it.each([
    ["21610 (unsubscribed recipient)", 400, 21610, { status: "opted_out" }],
    ["21211 (invalid To number)", 400, 21211, { status: "invalid_number" }],
    ["21614 (not a mobile number)", 400, 21614, { status: "invalid_number" }],
    ["HTTP 429 (too many requests)", 429, 20429, { status: "throttled" }],
    ["a 503", 503, 20500, { status: "failed", retryable: true }],
    ["21606 (From number not capable)", 400, 21606, { status: "failed", retryable: false }],
  ])("maps error %s to a typed result", async (_case, status, code, expected) => {
    const { sender } = senderAnswering(status, { code, message: `error ${code}`, status });
    expect(await sender.send(request)).toMatchObject(expected);
  });
});
