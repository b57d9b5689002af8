import { describe, expect, it } from "vitest";
import { lazy } from "../../../providers/gcp/handlers/lazy";
import { responsesSettingsOf } from "../../../providers/gcp/handlers/responses";
import { tickerSettingsOf } from "../../../providers/gcp/handlers/ticker";
import {
  EnrollmentEnvSchema,
  parseEnv,
  ResponsesEnvSchema,
  SettingsError,
  TickerEnvSchema,
  WebhookEnvSchema,
} from "../../../providers/gcp/runtime/settings";
import { smsSenderFor } from "../../../providers/gcp/runtime/sms-sender";
import { TwilioSmsSender } from "../../../providers/gcp/runtime/twilio-sender";

const responsesEnv = {
  DEAD_LETTER_TOPIC: "sms-events-dlq",
  RESPONSES_COLLECTION: "sms-responses",
  OPT_OUTS_COLLECTION: "sms-opt-outs",
  OPT_OUT_REVIEWS_COLLECTION: "sms-opt-out-reviews",
  MESSAGE_LOG_COLLECTION: "sms-message-log",
  NOTIFICATION_TOPIC: "sms-response-notifications",
  HELP_TEXT: "help",
  STOP_CONFIRMATION_TEXT: "stopped",
  JOURNEYS_COLLECTION: "sms-journeys",
  SUBSCRIBERS_COLLECTION: "sms-subscribers",
  CAMPAIGNS_COLLECTION: "sms-campaigns",
};

const tickerEnv = {
  DEAD_LETTER_TOPIC: "sms-events-dlq",
  JOURNEYS_COLLECTION: "sms-journeys",
  SUBSCRIBERS_COLLECTION: "sms-subscribers",
  CAMPAIGNS_COLLECTION: "sms-campaigns",
  OPT_OUTS_COLLECTION: "sms-opt-outs",
  OPT_OUT_REVIEWS_COLLECTION: "sms-opt-out-reviews",
  SEND_LEDGER_COLLECTION: "sms-send-ledger",
  EVENTS_TOPIC: "sms-events-stream",
};

describe("GCP function settings", () => {
  it("reads the ticker's MPS, interval, budget and send window, with defaults for the rest", () => {
    expect(tickerSettingsOf(parseEnv(TickerEnvSchema, tickerEnv))).toEqual({
      mps: 1,
      intervalSeconds: 60,
      policy: { window: { startHour: 8, endHour: 21 } },
    });
    const configured = parseEnv(TickerEnvSchema, {
      ...tickerEnv,
      TICK_MPS: "20",
      TICK_INTERVAL_SECONDS: "120",
      TICK_BUDGET_USD: "2.5",
      SEND_WINDOW_START_HOUR: "9",
      SEND_WINDOW_END_HOUR: "20",
    });
    expect(tickerSettingsOf(configured)).toEqual({
      mps: 20,
      intervalSeconds: 120,
      budgetUsd: 2.5,
      policy: { window: { startHour: 9, endHour: 20 } },
    });
    expect(() => parseEnv(TickerEnvSchema, { ...tickerEnv, TICK_BUDGET_USD: "-1" })).toThrow(
      "TICK_BUDGET_USD",
    );
    expect(() => parseEnv(TickerEnvSchema, { ...tickerEnv, TICK_MPS: "0" })).toThrow("TICK_MPS");
  });

  it("names the enrollment function's missing bucket and topic", () => {
    expect(() => parseEnv(EnrollmentEnvSchema, tickerEnv)).toThrow(
      /AUDIENCE_BUCKET is required; ENROLLMENT_TOPIC is required/,
    );
    expect(
      parseEnv(EnrollmentEnvSchema, { ...tickerEnv, AUDIENCE_BUCKET: "b", ENROLLMENT_TOPIC: "t" }),
    ).toMatchObject({ ENROLLMENT_CHUNK_ROWS: 1000 });
  });

  it("names the webhook's missing auth token and events topic", () => {
    expect(() => parseEnv(WebhookEnvSchema, {})).toThrow(SettingsError);
    expect(() => parseEnv(WebhookEnvSchema, {})).toThrow(
      /EVENTS_TOPIC is required; TWILIO_AUTH_TOKEN is required/,
    );
  });

  it("gives the responses consumer the phone hash's salt only when PHONE_HASH_SALT is set", () => {
    const salted = parseEnv(ResponsesEnvSchema, { ...responsesEnv, PHONE_HASH_SALT: "a-long-random-salt" });
    expect(responsesSettingsOf(salted).phoneHashSalt).toBe("a-long-random-salt");
    expect(responsesSettingsOf(parseEnv(ResponsesEnvSchema, responsesEnv))).not.toHaveProperty(
      "phoneHashSalt",
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
