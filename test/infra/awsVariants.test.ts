import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { awsPlaceholderCode, policyDocument, type Recorder, recorder, settled } from "./harness";

const recorded: Recorder = recorder();
const existingNumber = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123";

beforeAll(async () => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "aws-staging", false);
  const { deployStack } = await import("../../stacks/program");
  const code = new pulumi.asset.AssetArchive({
    "index.mjs": new pulumi.asset.StringAsset("export const handler = () => {};"),
  });
  // Strings, as Pulumi hands config values over.
  deployStack(
    "aws-staging",
    {
      streamMode: "on-demand",
      streamRetentionHours: "48",
      legacyPinpoint: "true",
      phoneNumberArn: existingNumber,
      archiveExpirationDays: "never",
      xrayTracing: "false",
      lambdaArchitecture: "x86_64",
      maximumRetryAttempts: "5",
      startingPosition: "LATEST",
      alarms: { deliveryRatePercent: 90 },
      phoneHashSalt: "phone-hash-salt-0123456789abcdef",
    },
    { awsCode: () => awsPlaceholderCode(code), powertoolsVersion: "2.36.0" },
  );
  await settled(recorded);
});

describe("the AWS pipeline with non-default config", () => {
  it("makes the stream on-demand, without a shard count, with the configured retention", () => {
    const stream = recorded.one("aws:kinesis/stream:Stream");
    expect(stream.inputs.streamModeDetails).toEqual({ streamMode: "ON_DEMAND" });
    expect(stream.inputs.shardCount).toBeUndefined();
    expect(stream.inputs.retentionPeriod).toBe(48);
  });

  it("creates the legacy Pinpoint app, SMS channel and event stream only behind the flag", () => {
    recorded.one("aws:pinpoint/app:App");
    recorded.one("aws:pinpoint/smsChannel:SmsChannel");
    expect(recorded.one("aws:pinpoint/eventStream:EventStream").inputs.destinationStreamArn).toMatch(
      /sms-events-stream$/,
    );
  });

  it("sends from the existing number and requests no new one", () => {
    expect(recorded.ofType("aws:pinpoint/smsvoicev2PhoneNumber:Smsvoicev2PhoneNumber")).toHaveLength(0);
    const responses = recorded
      .ofType("aws:lambda/function:Function")
      .find((f) => f.name.endsWith("responses-function"))!;
    expect(responses.inputs.environment.variables.SMS_ORIGINATION_IDENTITY).toBe(existingNumber);
    const send = policyDocument(
      recorded.one("aws:iam/rolePolicy:RolePolicy", "sms-responses-policy").inputs.policy,
    ).Statement.find((s) => s.Action.includes("sms-voice:SendTextMessage"));
    expect(send.Resource).toContain(existingNumber);
  });

  it("hands the phone hash's salt to the functions that write a number (they screen erased ones), never to analytics", () => {
    const functions = recorded.ofType("aws:lambda/function:Function");
    const withSalt = functions.filter((f) => f.inputs.environment.variables.PHONE_HASH_SALT !== undefined);
    expect(withSalt.map((f) => f.name).sort()).toEqual([
      "sms-archive-function",
      "sms-enrollment-function-function",
      "sms-responses-function",
      "sms-ticker-function-function",
    ]);
    for (const f of withSalt) {
      expect(f.inputs.environment.variables.PHONE_HASH_SALT).toBe("phone-hash-salt-0123456789abcdef");
      // A secret in the state, as the config value was.
      expect(f.secrets).toContain("environment");
    }
  });

  it("keeps the archive forever when expiry is disabled, still expiring old versions", () => {
    const [rule] = recorded.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "archive-lifecycle",
    ).inputs.rules;
    expect(rule.expiration).toBeUndefined();
    expect(rule.noncurrentVersionExpiration).toEqual({ noncurrentDays: 30 });
  });

  it("turns tracing off and drops the X-Ray permissions with it", () => {
    for (const fn of recorded.ofType("aws:lambda/function:Function")) {
      expect(fn.inputs.tracingConfig).toEqual({ mode: "PassThrough" });
      expect(fn.inputs.architectures).toEqual(["x86_64"]);
    }
    const actions = recorded
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .flatMap((p) => policyDocument(p.inputs.policy).Statement.flatMap((s) => s.Action));
    expect(actions.filter((a: string) => a.startsWith("xray:"))).toEqual([]);
  });

  it("applies the configured retries, starting position and alarm threshold", () => {
    const streamMappings = recorded
      .ofType("aws:lambda/eventSourceMapping:EventSourceMapping")
      .filter((m) => m.inputs.eventSourceArn.includes(":kinesis:"));
    expect(streamMappings).toHaveLength(3);
    for (const mapping of streamMappings) {
      expect(mapping.inputs).toMatchObject({ maximumRetryAttempts: 5, startingPosition: "LATEST" });
    }
    const delivery = recorded
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .find((a) => a.inputs.metricName === "DeliveryRate")!;
    expect(delivery.inputs.threshold).toBe(90);
  });

  it("names stack-scoped resources after the stack", () => {
    expect(recorded.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName).toBe(
      "sms-campaigns-aws-staging",
    );
    expect(recorded.one("aws:glue/catalogDatabase:CatalogDatabase").inputs.name).toBe(
      "sms_campaigns_aws_staging",
    );
  });
});
