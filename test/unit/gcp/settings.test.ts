import { describe, expect, it } from "vitest";
import { lazy } from "../../../providers/gcp/handlers/lazy";
import {
  parseEnv,
  ResponsesEnvSchema,
  SettingsError,
  WebhookEnvSchema,
} from "../../../providers/gcp/runtime/settings";
import { smsSenderFor } from "../../../providers/gcp/runtime/sms-sender";
import { TwilioSmsSender } from "../../../providers/gcp/runtime/twilio-sender";

const responsesEnv = {
  DEAD_LETTER_TOPIC: "sms-events-dlq",
  RESPONSES_COLLECTION: "sms-responses",
  OPT_OUTS_COLLECTION: "sms-opt-outs",
  MESSAGE_LOG_COLLECTION: "sms-message-log",
  NOTIFICATION_TOPIC: "sms-response-notifications",
  HELP_TEXT: "help",
  STOP_CONFIRMATION_TEXT: "stopped",
};

describe("GCP function settings", () => {
  it("names the webhook's missing auth token and events topic", () => {
    expect(() => parseEnv(WebhookEnvSchema, {})).toThrow(SettingsError);
    expect(() => parseEnv(WebhookEnvSchema, {})).toThrow(
      /EVENTS_TOPIC is required; TWILIO_AUTH_TOKEN is required/,
    );
  });

  it("parses notification patterns from JSON and names the variable when the JSON is broken", () => {
    const parsed = parseEnv(ResponsesEnvSchema, {
      ...responsesEnv,
      NOTIFICATION_PATTERNS: '[{"name":"complaint","type":"keyword","keyword":"COMPLAINT"}]',
    });
    expect(parsed.NOTIFICATION_PATTERNS).toHaveLength(1);
    expect(() => parseEnv(ResponsesEnvSchema, { ...responsesEnv, NOTIFICATION_PATTERNS: "[{" })).toThrow(
      "NOTIFICATION_PATTERNS must be valid JSON",
    );
  });

  it("builds the Twilio sender when account, token and messaging service are set, and a refusing one otherwise", async () => {
    const configured = parseEnv(ResponsesEnvSchema, {
      ...responsesEnv,
      TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}`,
      TWILIO_AUTH_TOKEN: "token",
      TWILIO_MESSAGING_SERVICE_SID: `MG${"b".repeat(32)}`,
    });
    expect(smsSenderFor(configured)).toBeInstanceOf(TwilioSmsSender);
    const unconfigured = smsSenderFor(parseEnv(ResponsesEnvSchema, responsesEnv));
    const result = await unconfigured.send({
      to: "+14255550100",
      body: "hi",
      messageType: "transactional",
      idempotencyKey: "k",
    });
    expect(result).toEqual({
      status: "failed",
      retryable: false,
      reason:
        "Twilio is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_MESSAGING_SERVICE_SID",
    });
  });

  it("builds a handler on first use, and retries the build after a failure", () => {
    let builds = 0;
    let broken = true;
    const handler = lazy(() => {
      builds++;
      if (broken) throw new SettingsError("invalid function environment: X is required");
      return (n: number) => n * 2;
    });
    expect(builds).toBe(0);
    expect(() => handler(1)).toThrow("X is required");
    broken = false;
    expect(handler(2)).toBe(4);
    expect(handler(3)).toBe(6);
    expect(builds).toBe(2);
  });
});
