import { describe, expect, it } from "vitest";
import {
  DEFAULT_NAMES,
  parseStackConfig,
  rawConfigFromPulumi,
  type StackConfigInput,
} from "../../core/config";
import { parseAwsStackConfig } from "../../providers/aws/infra/config";

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a config error");
};

describe("the shared stack config", () => {
  it("fills every default from the seed when nothing is set", () => {
    const config = parseStackConfig({});
    expect(config.names).toEqual(DEFAULT_NAMES);
    expect(config.names.stream).toBe("sms-events-stream");
    expect(config.names.responsesTable).toBe("sms-responses");
    expect(config.names.archiveBucketPrefix).toBe("sms-archive");
    expect(config).toMatchObject({
      streamRetentionHours: 8760,
      responseTtlDays: 365,
      alarms: { deliveryRatePercent: 95, optOutRatePercent: 5, iteratorAgeMs: 60_000 },
      notificationPatterns: [],
      batchSize: 100,
      batchWindowSeconds: 5,
      revocationSlaMinutes: 5,
    });
    expect(config.helpText).toMatch(/STOP/);
    expect(config.stopConfirmationText).toMatch(/unsubscribed/);
  });

  it("keeps defaults for the names and thresholds that are not overridden", () => {
    const config = parseStackConfig({ names: { stream: "events" }, alarms: { optOutRatePercent: 2.5 } });
    expect(config.names.stream).toBe("events");
    expect(config.names.responsesTable).toBe("sms-responses");
    expect(config.alarms).toEqual({ deliveryRatePercent: 95, optOutRatePercent: 2.5, iteratorAgeMs: 60_000 });
  });

  it("accepts numbers spelled as strings, as Pulumi hands them over", () => {
    expect(parseStackConfig({ streamRetentionHours: "24", batchSize: "500" })).toMatchObject({
      streamRetentionHours: 24,
      batchSize: 500,
    });
  });

  it.each<[StackConfigInput | Record<string, unknown>, string]>([
    [
      { streamRetentionHours: 8761 },
      'config key "sms-campaigns:streamRetentionHours": must be an integer between 24 and 8760',
    ],
    [
      { streamRetentionHours: 23 },
      'config key "sms-campaigns:streamRetentionHours": must be an integer between 24 and 8760',
    ],
    [
      { streamRetentionHours: "a year" },
      'config key "sms-campaigns:streamRetentionHours": must be an integer between 24 and 8760',
    ],
    [
      { responseTtlDays: 1.5 },
      'config key "sms-campaigns:responseTtlDays": must be an integer between 1 and 3650',
    ],
    [
      { alarms: { deliveryRatePercent: 101 } },
      'config key "sms-campaigns:alarms.deliveryRatePercent": must be a number between 0 and 100',
    ],
    [
      { revocationSlaMinutes: 0 },
      'config key "sms-campaigns:revocationSlaMinutes": must be an integer between 1 and 1440',
    ],
    [
      { revocationSlaMinutes: "soon" },
      'config key "sms-campaigns:revocationSlaMinutes": must be an integer between 1 and 1440',
    ],
    [
      { batchWindowSeconds: 301 },
      'config key "sms-campaigns:batchWindowSeconds": must be an integer between 0 and 300',
    ],
    [
      { helpText: "" },
      'config key "sms-campaigns:helpText": must be a non-empty text of at most 1600 characters',
    ],
    [
      { names: { archiveBucketPrefix: "Bad_Bucket" } },
      'config key "sms-campaigns:names.archiveBucketPrefix": must be 3-37 lowercase',
    ],
    [{ alarms: { iteratorAge: 5 } }, 'config key "sms-campaigns:alarms.iteratorAge": unknown key'],
  ])("rejects %j naming the key and what it allows", (raw, expected) => {
    expect(messageOf(() => parseStackConfig(raw))).toContain(expected);
  });

  it("rejects an unknown top-level key and lists the allowed ones", () => {
    const message = messageOf(() => parseStackConfig({ retentionHours: 24 }));
    expect(message).toMatch(
      /^config key "sms-campaigns:retentionHours": unknown key \(allowed: names, streamRetentionHours,/,
    );
  });

  it("validates notification patterns with the processing schema", () => {
    const message = messageOf(() =>
      parseStackConfig({ notificationPatterns: [{ name: "bad", type: "regex", pattern: "(" }] }),
    );
    expect(message).toBe(
      'config key "sms-campaigns:notificationPatterns.0.pattern": must be a valid regular expression',
    );
    const ok = parseStackConfig({
      notificationPatterns: [{ name: "angry", type: "sentiment", sentiment: "negative" }],
    });
    expect(ok.notificationPatterns).toHaveLength(1);
  });

  it("reads only this project's namespace from Pulumi's flat config and decodes JSON objects", () => {
    const raw = rawConfigFromPulumi({
      "aws:region": "us-east-1",
      "sms-campaigns:batchSize": "50",
      "sms-campaigns:alarms": '{"deliveryRatePercent":90}',
      "sms-campaigns:helpText": "Reply STOP to stop",
    });
    expect(raw).toEqual({
      batchSize: "50",
      alarms: { deliveryRatePercent: 90 },
      helpText: "Reply STOP to stop",
    });
    expect(parseStackConfig(raw)).toMatchObject({ batchSize: 50, alarms: { deliveryRatePercent: 90 } });
  });
});

describe("the AWS stack config", () => {
  it("defaults to two provisioned shards, bounded retries, X-Ray and a two-year archive", () => {
    expect(parseAwsStackConfig({})).toMatchObject({
      streamMode: "provisioned",
      shardCount: 2,
      legacyPinpoint: false,
      maximumRetryAttempts: 3,
      maximumRecordAgeSeconds: 86_400,
      startingPosition: "TRIM_HORIZON",
      xrayTracing: true,
      archiveExpirationDays: 730,
      logRetentionDays: 365,
    });
  });

  it("accepts the shared keys alongside the AWS ones", () => {
    expect(parseAwsStackConfig({ batchSize: 10, shardCount: 4 })).toMatchObject({
      batchSize: 10,
      shardCount: 4,
    });
  });

  it.each<[Record<string, unknown>, string]>([
    [{ archiveExpirationDays: 364 }, 'must be an integer between 365 and 36500, or "never"'],
    [
      { streamMode: "serverless" },
      'config key "sms-campaigns:streamMode": must be "provisioned" or "on-demand"',
    ],
    [
      { maximumRetryAttempts: -1 },
      'config key "sms-campaigns:maximumRetryAttempts": must be an integer between 0 and 10000',
    ],
    [{ logRetentionDays: 42 }, 'config key "sms-campaigns:logRetentionDays": must be one of 1, 3, 5'],
    [{ poolArn: "pool-123" }, 'config key "sms-campaigns:poolArn": must be an ARN of sms-voice'],
    [{ notificationEmail: "ops" }, 'config key "sms-campaigns:notificationEmail": must be an email address'],
    [{ legacyPinpoint: "yes" }, 'config key "sms-campaigns:legacyPinpoint": must be true or false'],
    [
      { requestPhoneNumber: { isoCountryCode: "usa", numberType: "TOLL_FREE" } },
      "requestPhoneNumber.isoCountryCode",
    ],
  ])("rejects %j", (raw, expected) => {
    expect(messageOf(() => parseAwsStackConfig(raw))).toContain(expected);
  });

  it("keeps the archive forever only when asked explicitly", () => {
    expect(parseAwsStackConfig({ archiveExpirationDays: "never" }).archiveExpirationDays).toBe("never");
    expect(parseAwsStackConfig({ archiveExpirationDays: "400" }).archiveExpirationDays).toBe(400);
  });
});
