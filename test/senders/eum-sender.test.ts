/**
 * End User Messaging SMS v2 sender against the real @aws-sdk/client-pinpoint-sms-voice-v2 client.
 * No emulator exists for End User Messaging, so the HTTP layer is intercepted (a custom
 * requestHandler) and the test asserts the exact request the SDK serialized.
 */
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { describe, expect, it } from "vitest";
import { withRetry } from "../../core/campaign/retry";
import type { SendRequest } from "../../core/ports";
import { EumSmsSender } from "../../providers/aws/runtime/eum-sender";
import { FakeClock } from "../../providers/local/runtime/memory";
import { interceptingHandler, type ScriptedResponse, testCredentials } from "./aws-intercept";

const request: SendRequest = {
  to: "+12065550123",
  body: "Welcome to Acme, Ana!",
  messageType: "promotional",
  campaignId: "spring-sale",
  journeyId: "welcome-series",
  subscriberId: "sub-1",
  idempotencyKey: "journey:welcome-series/sub-1/welcome",
  maxPriceUsd: 0.02,
  ttlSeconds: 3600,
};

function senderAnswering(respond: (index: number) => ScriptedResponse) {
  const { handler, requests } = interceptingHandler((_r, index) => respond(index));
  const client = new PinpointSMSVoiceV2Client({
    region: "us-east-1",
    credentials: testCredentials,
    requestHandler: handler,
    maxAttempts: 1,
  });
  const sender = new EumSmsSender(client, {
    originationIdentity: "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-abc",
    configurationSetName: "sms-campaigns-events",
  });
  return { sender, requests };
}

const error = (type: string, fields: Record<string, unknown> = {}, status = 400): ScriptedResponse => ({
  status,
  headers: { "x-amzn-errortype": type },
  body: { __type: type, message: `${type} happened`, ...fields },
});

describe("End User Messaging SMS v2 sender (SendTextMessage)", () => {
  it("sends the configuration set, context ids, message type, max price, TTL and origination identity", async () => {
    const { sender, requests } = senderAnswering(() => ({ status: 200, body: { MessageId: "eum-msg-1" } }));
    const result = await sender.send(request);

    expect(result).toEqual({ status: "sent", messageId: "eum-msg-1" });
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe("POST");
    expect(requests[0].headers["x-amz-target"]).toBe("PinpointSMSVoiceV2.SendTextMessage");
    expect(requests[0].body).toEqual({
      DestinationPhoneNumber: "+12065550123",
      OriginationIdentity: "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-abc",
      MessageBody: "Welcome to Acme, Ana!",
      MessageType: "PROMOTIONAL",
      ConfigurationSetName: "sms-campaigns-events",
      MaxPrice: "0.02000",
      TimeToLive: 3600,
      Context: {
        idempotencyKey: "journey:welcome-series/sub-1/welcome",
        campaignId: "spring-sale",
        journeyId: "welcome-series",
        subscriberId: "sub-1",
      },
    });
  });

  it("uses the request's origination identity when it names one, and TRANSACTIONAL for transactional", async () => {
    const { sender, requests } = senderAnswering(() => ({ status: 200, body: { MessageId: "m" } }));
    await sender.send({ ...request, from: "+18885550100", messageType: "transactional" });
    expect(requests[0].body).toMatchObject({
      OriginationIdentity: "+18885550100",
      MessageType: "TRANSACTIONAL",
    });
  });

  it.each([
    ["throttling", error("ThrottlingException"), { status: "throttled" }],
    [
      "an opted-out destination",
      error("ConflictException", {
        Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        ResourceType: "opted-out-number",
      }),
      { status: "opted_out" },
    ],
    [
      "an invalid destination number",
      error("ValidationException", {
        Reason: "INVALID_PARAMETER",
        Fields: [{ Name: "DestinationPhoneNumber", Message: "not a valid E.164 number" }],
      }),
      { status: "invalid_number" },
    ],
    [
      "a price over the cap",
      error("ValidationException", { Reason: "PRICE_OVER_THRESHOLD" }),
      { status: "failed", retryable: false },
    ],
    ["a server fault", error("InternalServerException", {}, 500), { status: "failed", retryable: true }],
  ])("maps %s to a typed result", async (_case, response, expected) => {
    const { sender } = senderAnswering(() => response);
    expect(await sender.send(request)).toMatchObject(expected);
  });

  it("retries throttling with backoff on the fake clock, then succeeds", async () => {
    const { sender, requests } = senderAnswering((index) =>
      index < 2 ? error("ThrottlingException") : { status: 200, body: { MessageId: "after-retry" } },
    );
    const clock = new FakeClock();
    const result = await withRetry(sender, { clock, baseDelayMs: 100, random: () => 1 }).send(request);
    expect(result).toEqual({ status: "sent", messageId: "after-retry" });
    expect(requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([100, 200]);
  });
});
