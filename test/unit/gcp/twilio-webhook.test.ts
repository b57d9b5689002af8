import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import * as functions from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import twilio from "twilio";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeRecord } from "../../../core/events/decode";
import { createTwilioWebhook, EMPTY_TWIML } from "../../../providers/gcp/handlers/twilio-webhook";
import type { PublishingTopic } from "../../../providers/gcp/runtime/pubsub-topic";

const AUTH_TOKEN = "12345678901234567890123456789012";
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "../../fixtures/native", name), "utf8").trim();
const INBOUND = fixture("twilio-inbound.txt");
const STATUS = fixture("twilio-status-delivered.txt");

/** Records what was published; can be told to fail. */
class RecordingTopic implements PublishingTopic {
  published: { data: Buffer; orderingKey?: string }[] = [];
  resumed: string[] = [];
  failing = false;
  async publishMessage(message: { data: Buffer; orderingKey?: string }) {
    if (this.failing) throw new Error("UNAVAILABLE: pubsub down");
    this.published.push(message);
    return String(this.published.length);
  }
  resumePublishing(key: string) {
    this.resumed.push(key);
  }
}

const topic = new RecordingTopic();
functions.http(
  "twilioWebhookUnderTest",
  createTwilioWebhook({ authToken: AUTH_TOKEN, topic, log: () => {} }),
);
let base = "";
let server: ReturnType<typeof getTestServer>;

beforeAll(async () => {
  server = getTestServer("twilioWebhookUnderTest");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  topic.published = [];
  topic.resumed = [];
  topic.failing = false;
});

const paramsOf = (body: string) => Object.fromEntries(new URLSearchParams(body));
const signatureOf = (url: string, body: string, token = AUTH_TOKEN) =>
  twilio.getExpectedTwilioSignature(token, url, paramsOf(body));

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });

describe("the Twilio webhook function", () => {
  it("publishes a correctly signed inbound message, byte for byte, keyed by the sender's number", async () => {
    const response = await post("/sms?tenant=a", INBOUND, {
      "x-twilio-signature": signatureOf(`${base}/sms?tenant=a`, INBOUND),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(EMPTY_TWIML);
    expect(topic.published).toHaveLength(1);
    expect(topic.published[0].data.toString("utf8")).toBe(INBOUND);
    expect(topic.published[0].orderingKey).toBe("+14017122661");
    const decoded = decodeRecord(topic.published[0].data, { receivedAt: "2026-11-24T10:00:00.000Z" });
    expect(decoded.ok && decoded.events[0]).toMatchObject({ kind: "received", phoneNumber: "+14017122661" });
  });

  it("keys a signed status callback by the recipient's number", async () => {
    const response = await post("/sms", STATUS, { "x-twilio-signature": signatureOf(`${base}/sms`, STATUS) });
    expect(response.status).toBe(200);
    expect(topic.published.map((m) => m.orderingKey)).toEqual(["+15558675310"]);
  });

  it("verifies against the https URL the caller saw when a proxy terminates TLS", async () => {
    const host = new URL(base).host;
    const response = await post("/sms", STATUS, {
      "x-forwarded-proto": "https",
      "x-twilio-signature": signatureOf(`https://${host}/sms`, STATUS),
    });
    expect(response.status).toBe(200);
    expect(topic.published).toHaveLength(1);
  });

  it("answers 403 and publishes nothing for a signature made with another token", async () => {
    const response = await post("/sms", INBOUND, {
      "x-twilio-signature": signatureOf(`${base}/sms`, INBOUND, "another-token-another-token-0000"),
    });
    expect(response.status).toBe(403);
    expect(topic.published).toEqual([]);
  });

  it("answers 403 and publishes nothing when the body was changed after signing", async () => {
    const signature = signatureOf(`${base}/sms`, INBOUND);
    const response = await post("/sms", INBOUND.replace("Ahoy", "Hello"), {
      "x-twilio-signature": signature,
    });
    expect(response.status).toBe(403);
    expect(topic.published).toEqual([]);
  });

  it("answers 403 and publishes nothing for an unsigned request", async () => {
    expect((await post("/sms", INBOUND)).status).toBe(403);
    expect(topic.published).toEqual([]);
  });

  it("refuses anything but POST", async () => {
    const response = await fetch(`${base}/sms`);
    expect(response.status).toBe(405);
    expect(topic.published).toEqual([]);
  });

  it("answers 500 when the topic refuses the message, and resumes the ordering key", async () => {
    topic.failing = true;
    const response = await post("/sms", INBOUND, {
      "x-twilio-signature": signatureOf(`${base}/sms`, INBOUND),
    });
    expect(response.status).toBe(500);
    expect(topic.resumed).toEqual(["+14017122661"]);
  });
});
