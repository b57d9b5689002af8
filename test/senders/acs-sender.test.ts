/**
 * Azure Communication Services SMS sender against the real @azure/communication-sms SmsClient.
 * No emulator exists for ACS SMS, so the client is pointed at a local node:http server on
 * 127.0.0.1 (through the connection string's endpoint) that records the exact request.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SmsClient } from "@azure/communication-sms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeAcsTag } from "../../core/events/decode";
import type { SendRequest } from "../../core/ports";
import { AcsSmsSender } from "../../providers/azure/runtime/acs-sender";

interface Recorded {
  method?: string;
  url?: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

let server: Server;
let endpoint = "";
const recorded: Recorded[] = [];
let respond: (body: Record<string, unknown>) => {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      recorded.push({ method: req.method, url: req.url, headers: req.headers, body });
      const answer = respond(body);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sender(): AcsSmsSender {
  const accessKey = Buffer.from("not-a-real-key").toString("base64");
  const client = new SmsClient(`endpoint=${endpoint};accesskey=${accessKey}`, {
    retryOptions: { maxRetries: 0 },
    // The stand-in server speaks plain HTTP on 127.0.0.1.
    allowInsecureConnection: true,
  });
  return new AcsSmsSender(client, { from: "+18335550100" });
}

const request: SendRequest = {
  to: "+14255550123",
  body: "Welcome!",
  messageType: "promotional",
  campaignId: "spring-sale",
  journeyId: "welcome-series",
  subscriberId: "sub-3",
  idempotencyKey: "journey:welcome-series/sub-3/welcome",
};

const perRecipient =
  (result: Record<string, unknown>, status = 202) =>
  () => ({
    status,
    body: { value: [{ to: "+14255550123", ...result }] },
  });

describe("Azure Communication Services SMS sender", () => {
  it("sends with delivery reports on and our ids in the tag, signed with the access key", async () => {
    respond = perRecipient({ messageId: "acs-msg-1", httpStatusCode: 202, successful: true });
    recorded.length = 0;
    expect(await sender().send(request)).toEqual({ status: "sent", messageId: "acs-msg-1" });

    expect(recorded).toHaveLength(1);
    const [call] = recorded;
    expect(call.method).toBe("POST");
    expect(call.url).toMatch(/^\/sms\?api-version=/);
    expect(call.headers.authorization).toMatch(/^HMAC-SHA256 /);
    expect(call.body).toMatchObject({
      from: "+18335550100",
      message: "Welcome!",
      smsRecipients: [{ to: "+14255550123" }],
      smsSendOptions: { enableDeliveryReport: true },
    });
    const recipient = (call.body.smsRecipients as Record<string, unknown>[])[0];
    expect(recipient.repeatabilityRequestId).toEqual(expect.any(String));
    const tag = (call.body.smsSendOptions as { tag: string }).tag;
    expect(decodeAcsTag(tag)).toEqual({
      campaignId: "spring-sale",
      journeyId: "welcome-series",
      subscriberId: "sub-3",
    });
  });

  it.each([
    [
      "an invalid number",
      perRecipient({
        httpStatusCode: 400,
        successful: false,
        errorMessage: "Invalid To phone number format.",
      }),
      { status: "invalid_number" },
    ],
    [
      "an opted-out recipient",
      perRecipient({ httpStatusCode: 403, successful: false, errorMessage: "The recipient has opted out." }),
      { status: "opted_out" },
    ],
    [
      "a recipient-level server error",
      perRecipient({ httpStatusCode: 500, successful: false, errorMessage: "Internal error" }),
      { status: "failed", retryable: true },
    ],
    [
      "request-level throttling with Retry-After",
      () => ({
        status: 429,
        headers: { "retry-after": "2" },
        body: { error: { code: "TooManyRequests", message: "Too many requests" } },
      }),
      { status: "throttled", retryAfterMs: 2000 },
    ],
  ])("maps %s to a typed result", async (_case, answer, expected) => {
    respond = answer;
    recorded.length = 0;
    expect(await sender().send(request)).toMatchObject(expected);
    expect(recorded).toHaveLength(1);
  });
});
