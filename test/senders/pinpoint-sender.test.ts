/**
 * The legacy Amazon Pinpoint SendMessages sender against the real @aws-sdk/client-pinpoint client.
 * No emulator exists for Pinpoint, so the HTTP layer is intercepted (a custom requestHandler) and
 * the test asserts the exact request the SDK serialized.
 */
import { PinpointClient } from "@aws-sdk/client-pinpoint";
import { describe, expect, it } from "vitest";
import type { SendRequest } from "../../core/ports";
import { PinpointSmsSender } from "../../providers/aws/runtime/pinpoint-sender";
import { interceptingHandler, type ScriptedResponse, testCredentials } from "./aws-intercept";

const request: SendRequest = {
  to: "+12065550123",
  body: "Your spot is confirmed.",
  messageType: "transactional",
  campaignId: "spring-sale",
  subscriberId: "sub-7",
  idempotencyKey: "campaign:spring-sale/sub-7/send",
};

function senderAnswering(response: ScriptedResponse) {
  const { handler, requests } = interceptingHandler(() => response);
  const client = new PinpointClient({
    region: "us-east-1",
    credentials: testCredentials,
    requestHandler: handler,
    maxAttempts: 1,
  });
  const sender = new PinpointSmsSender(client, {
    applicationId: "app-123",
    originationNumber: "+18885550100",
  });
  return { sender, requests };
}

const addressResult = (result: Record<string, unknown>): ScriptedResponse => ({
  status: 200,
  body: { ApplicationId: "app-123", RequestId: "req-1", Result: { "+12065550123": result } },
});

describe("Pinpoint SendMessages sender (legacy accounts)", () => {
  it("posts the address, SMS configuration, context ids and trace id to the project's messages", async () => {
    const { sender, requests } = senderAnswering(
      addressResult({ DeliveryStatus: "SUCCESSFUL", StatusCode: 200, MessageId: "pp-msg-1" }),
    );
    expect(await sender.send(request)).toEqual({ status: "sent", messageId: "pp-msg-1" });
    expect(requests[0].method).toBe("POST");
    expect(requests[0].path).toBe("/v1/apps/app-123/messages");
    expect(requests[0].body).toEqual({
      Addresses: { "+12065550123": { ChannelType: "SMS" } },
      Context: {
        idempotencyKey: "campaign:spring-sale/sub-7/send",
        campaignId: "spring-sale",
        subscriberId: "sub-7",
      },
      TraceId: "campaign:spring-sale/sub-7/send",
      MessageConfiguration: {
        SMSMessage: {
          Body: "Your spot is confirmed.",
          MessageType: "TRANSACTIONAL",
          OriginationNumber: "+18885550100",
        },
      },
    });
  });

  it.each([
    ["THROTTLED", { DeliveryStatus: "THROTTLED", StatusCode: 429 }, { status: "throttled" }],
    [
      "OPT_OUT",
      { DeliveryStatus: "OPT_OUT", StatusCode: 400, StatusMessage: "opted out" },
      { status: "opted_out" },
    ],
    [
      "PERMANENT_FAILURE for a bad number",
      { DeliveryStatus: "PERMANENT_FAILURE", StatusCode: 400, StatusMessage: "Invalid phone number" },
      { status: "invalid_number" },
    ],
    [
      "TEMPORARY_FAILURE",
      { DeliveryStatus: "TEMPORARY_FAILURE", StatusCode: 500 },
      { status: "failed", retryable: true },
    ],
  ])("maps a %s address result to a typed result", async (_case, result, expected) => {
    const { sender } = senderAnswering(addressResult(result));
    expect(await sender.send(request)).toMatchObject(expected);
  });

  it("maps a TooManyRequestsException to throttled", async () => {
    const { sender } = senderAnswering({
      status: 429,
      headers: { "x-amzn-errortype": "TooManyRequestsException" },
      body: { Message: "Too many requests", RequestID: "r" },
    });
    expect(await sender.send(request)).toMatchObject({ status: "throttled" });
  });
});
