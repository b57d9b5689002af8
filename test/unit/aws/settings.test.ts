import { describe, expect, it } from "vitest";
import { handler as analyticsHandler } from "../../../providers/aws/handlers/analytics";
import { handler as archiveHandler } from "../../../providers/aws/handlers/archive";
import { responsesSettingsOf } from "../../../providers/aws/handlers/responses";
import {
  AnalyticsEnvSchema,
  endpointsOf,
  parseEnv,
  ResponsesEnvSchema,
  SettingsError,
} from "../../../providers/aws/runtime/settings";
import { kinesisEvent, kinesisRecord, smsEvent } from "./kinesis-events";

const responsesEnv = {
  DLQ_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/sms-events-dlq",
  DYNAMODB_TABLE: "sms-responses",
  OPT_OUTS_TABLE: "sms-opt-outs",
  OPT_OUT_REVIEWS_TABLE: "sms-opt-out-reviews",
  MESSAGE_LOG_TABLE: "sms-message-log",
  JOURNEYS_TABLE: "sms-journeys",
  SUBSCRIBERS_TABLE: "sms-subscribers",
  CAMPAIGNS_TABLE: "sms-campaigns",
  SNS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:sms-response-notifications",
  HELP_TEXT: "Acme: reply STOP to opt out.",
  STOP_CONFIRMATION_TEXT: "You are unsubscribed.",
};

describe("function settings", () => {
  it("parses a complete environment, with defaults for the optional values", () => {
    const env = parseEnv(ResponsesEnvSchema, { ...responsesEnv, LOG_LEVEL: "debug" });
    expect(env.LOG_LEVEL).toBe("DEBUG");
    expect(env.NOTIFICATION_PATTERNS).toEqual([]);
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe("SmsCampaigns");
  });

  it("gives the responses consumer the phone hash's salt only when PHONE_HASH_SALT is set", () => {
    const salted = parseEnv(ResponsesEnvSchema, { ...responsesEnv, PHONE_HASH_SALT: "a-long-random-salt" });
    expect(responsesSettingsOf(salted).phoneHashSalt).toBe("a-long-random-salt");
    expect(responsesSettingsOf(parseEnv(ResponsesEnvSchema, responsesEnv))).not.toHaveProperty(
      "phoneHashSalt",
    );
  });

  it("names every missing variable in one error", () => {
    const { DLQ_URL: _, HELP_TEXT: __, ...partial } = responsesEnv;
    expect(() => parseEnv(ResponsesEnvSchema, partial)).toThrow(SettingsError);
    expect(() => parseEnv(ResponsesEnvSchema, partial)).toThrow(/DLQ_URL is required.*HELP_TEXT is required/);
  });

  it("names NOTIFICATION_PATTERNS when it is not JSON or not a list of patterns", () => {
    expect(() => parseEnv(ResponsesEnvSchema, { ...responsesEnv, NOTIFICATION_PATTERNS: "{nope" })).toThrow(
      /NOTIFICATION_PATTERNS must be valid JSON/,
    );
    expect(() =>
      parseEnv(ResponsesEnvSchema, { ...responsesEnv, NOTIFICATION_PATTERNS: '[{"type":"keyword"}]' }),
    ).toThrow(/NOTIFICATION_PATTERNS/);
  });

  it("reads a valid NOTIFICATION_PATTERNS list", () => {
    const patterns = [{ name: "complaint", type: "regex", pattern: "scam", flags: "i" }];
    const env = parseEnv(ResponsesEnvSchema, {
      ...responsesEnv,
      NOTIFICATION_PATTERNS: JSON.stringify(patterns),
    });
    expect(env.NOTIFICATION_PATTERNS).toEqual(patterns);
  });

  it("rejects an unknown LOG_LEVEL by name", () => {
    expect(() => parseEnv(AnalyticsEnvSchema, { DLQ_URL: "q", LOG_LEVEL: "LOUD" })).toThrow(
      /LOG_LEVEL must be one of/,
    );
  });

  it("requires the parked receipts table of analytics and archive", () => {
    expect(() => parseEnv(AnalyticsEnvSchema, { DLQ_URL: "q", MESSAGE_LOG_TABLE: "messages" })).toThrow(
      /PENDING_RECEIPTS_TABLE is required/,
    );
  });

  it("takes service endpoints from AWS_ENDPOINT_URL_<SERVICE>, falling back to AWS_ENDPOINT_URL", () => {
    const env = parseEnv(AnalyticsEnvSchema, {
      DLQ_URL: "q",
      MESSAGE_LOG_TABLE: "messages",
      PENDING_RECEIPTS_TABLE: "parked",
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000",
    });
    expect(endpointsOf(env)).toMatchObject({
      dynamodb: "http://127.0.0.1:8000",
      sqs: "http://127.0.0.1:4566",
    });
  });
});

describe("Lambda entry points", () => {
  it("import without an environment, and fail the invocation naming the missing variable", async () => {
    const saved = process.env["DLQ_URL"];
    delete process.env["DLQ_URL"];
    try {
      const event = kinesisEvent([kinesisRecord(smsEvent({ kind: "sent" }))]);
      await expect(analyticsHandler(event)).rejects.toThrow(/DLQ_URL is required/);
      await expect(archiveHandler(event)).rejects.toThrow(/S3_BUCKET is required/);
    } finally {
      if (saved !== undefined) process.env["DLQ_URL"] = saved;
    }
  });
});
