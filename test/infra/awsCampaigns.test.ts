import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { tickTimingOf } from "../../providers/aws/infra/journeyTicker";
import { parseAwsReviewOutputs } from "../../providers/aws/runtime/review-stack";
import {
  AWS_CAMPAIGN_OUTPUTS,
  AWS_REVOCATION_CLOCKS_OUTPUT,
} from "../../providers/aws/runtime/stack-outputs";
import {
  ACCOUNT_ID,
  awsPlaceholderCode,
  policyDocument,
  type Recorder,
  recorder,
  resolveOutputs,
  settled,
} from "./harness";

const recorded: Recorder = recorder();
let outputs: Record<string, unknown>;

const config = {
  journeys: {
    tickRate: "5 minutes",
    mps: 20,
    tickBudgetUsd: 12.5,
    sendWindow: { startHour: 9, endHour: 20 },
    enrollmentChunkRows: 500,
  },
};

beforeAll(async () => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "aws", false);
  const { deployStack } = await import("../../stacks/program");
  const code = new pulumi.asset.AssetArchive({
    "index.mjs": new pulumi.asset.StringAsset("export const handler = async () => {};"),
  });
  outputs = (await resolveOutputs(
    deployStack("aws", config, { awsCode: () => awsPlaceholderCode(code), powertoolsVersion: "2.36.0" }),
  )) as Record<string, unknown>;
  await settled(recorded);
});

const fn = (suffix: string) => recorded.one("aws:lambda/function:Function", suffix);
const statementsOf = (policySuffix: string) =>
  policyDocument(recorded.one("aws:iam/rolePolicy:RolePolicy", policySuffix).inputs.policy).Statement;
const queueNamed = (name: string) =>
  recorded.ofType("aws:sqs/queue:Queue").find((q) => q.inputs.name === name)!;

describe("the journey ticker under Pulumi mocks", () => {
  it("runs one tick at a time (reserved concurrency 1) with a timeout below the interval", () => {
    expect(fn("ticker-function-function").inputs).toMatchObject({
      reservedConcurrentExecutions: 1,
      timeout: 295,
      runtime: "nodejs22.x",
    });
  });

  it("paces each tick to the configured MPS over its send window, with the budget and send window", () => {
    expect(fn("ticker-function-function").inputs.environment.variables).toMatchObject({
      TICK_MPS: "20",
      TICK_INTERVAL_SECONDS: "236",
      TICK_BUDGET_USD: "12.5",
      SEND_WINDOW_START_HOUR: "9",
      SEND_WINDOW_END_HOUR: "20",
      CAMPAIGNS_TABLE: "sms-campaigns",
    });
  });

  it("runs the revocation SLA monitor after each tick, on the clocks table with the configured window", () => {
    expect(fn("ticker-function-function").inputs.environment.variables).toMatchObject({
      REVOCATION_CLOCKS_TABLE: "sms-revocation-clocks",
      REVOCATION_SLA_MINUTES: "5",
      MESSAGE_LOG_TABLE: "sms-message-log",
      CONSENT_LOG_TABLE: "sms-consent-log",
    });
    const table = (name: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${name}`;
    expect(statementsOf("ticker-function-policy")).toEqual(
      expect.arrayContaining([
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"],
          Resource: [table("sms-revocation-clocks"), `${table("sms-revocation-clocks")}/index/*`],
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:Query"],
          Resource: [
            `${table("sms-message-log")}/index/*`,
            `${table("sms-subscribers")}/index/*`,
            table("sms-consent-log"),
          ],
        },
      ]),
    );
  });

  it("schedules it at the configured rate with bounded retries, never past the next tick, and a KMS dead letter", () => {
    const schedule = recorded.one("aws:scheduler/schedule:Schedule");
    expect(schedule.inputs).toMatchObject({
      name: "sms-campaigns-aws-ticker",
      scheduleExpression: "rate(5 minutes)",
      flexibleTimeWindow: { mode: "OFF" },
      kmsKeyArn: expect.stringMatching(/^arn:aws:kms:/),
      target: {
        arn: fn("ticker-function-function").outputs.arn,
        roleArn: expect.stringMatching(/role/),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 },
        deadLetterConfig: { arn: expect.stringMatching(/:sqs:.*sms-campaigns-aws-ticker-dlq$/) },
      },
    });
    expect(queueNamed("sms-campaigns-aws-ticker-dlq").inputs.kmsMasterKeyId).toMatch(/:kms:/);
  });

  it("drops a queued tick older than one interval and retries none, so ticks never pile up", () => {
    const configs = recorded.ofType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    const ticker = configs.find((c) => c.name.endsWith("ticker-invoke"))!;
    expect(ticker.inputs).toMatchObject({
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 300,
      destinationConfig: {
        onFailure: { destination: queueNamed("sms-campaigns-aws-ticker-dlq").outputs.arn },
      },
    });
  });

  it("lets the scheduler invoke only the ticker and reach only its dead letter and key", () => {
    const tickerArn = fn("ticker-function-function").outputs.arn;
    expect(statementsOf("ticker-scheduler-policy")).toEqual([
      { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [tickerArn] },
      {
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: [queueNamed("sms-campaigns-aws-ticker-dlq").outputs.arn],
      },
      {
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [expect.stringMatching(/:kms:/)],
      },
    ]);
    const trust = JSON.parse(
      recorded.one("aws:iam/role:Role", "ticker-scheduler-role").inputs.assumeRolePolicy,
    );
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "scheduler.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
    });
  });

  it("gives the ticker only the store actions a tick uses", () => {
    const table = (name: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${name}`;
    const statements = statementsOf("ticker-function-policy");
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
          Resource: [table("sms-journeys"), `${table("sms-journeys")}/index/*`],
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem"],
          // The review hold is read before each send: a number held for review gets nothing.
          Resource: [table("sms-subscribers"), table("sms-opt-outs"), table("sms-opt-out-reviews")],
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
          Resource: [table("sms-send-ledger")],
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:Scan", "dynamodb:UpdateItem"],
          Resource: [table("sms-campaigns")],
        },
        {
          Effect: "Allow",
          Action: ["kinesis:PutRecords"],
          Resource: [expect.stringMatching(/sms-events-stream$/)],
        },
      ]),
    );
    expect(statements.flatMap((s: { Action: string[] }) => s.Action)).not.toContain("dynamodb:DeleteItem");
  });

  it("derives timeout, send window and retry age from the interval", () => {
    expect(tickTimingOf(60)).toEqual({ timeoutSeconds: 55, sendSeconds: 44, maximumEventAgeSeconds: 60 });
    expect(tickTimingOf(86_400)).toEqual({
      timeoutSeconds: 900,
      sendSeconds: 720,
      maximumEventAgeSeconds: 86_400,
    });
  });
});

describe("the audience bucket and enrollment function under Pulumi mocks", () => {
  it("keeps audiences private: KMS, public access blocked, TLS only, versioned, expiring", () => {
    expect(
      recorded.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "audiences-encryption",
      ).inputs.rules[0].applyServerSideEncryptionByDefault,
    ).toEqual({ sseAlgorithm: "aws:kms", kmsMasterKeyId: expect.stringMatching(/^arn:aws:kms:/) });
    expect(
      recorded.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "audiences-public-access-block")
        .inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const [deny] = policyDocument(
      recorded.one("aws:s3/bucketPolicy:BucketPolicy", "audiences-tls-only").inputs.policy,
    ).Statement;
    expect(deny).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    const [rule] = recorded.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "audiences-lifecycle",
    ).inputs.rules;
    expect(rule).toMatchObject({ filter: { prefix: "campaigns/" }, expiration: { days: 30 } });
  });

  it("starts enrollment on uploads of campaigns/*.csv only, after S3 may invoke it", () => {
    const notification = recorded.one("aws:s3/bucketNotification:BucketNotification");
    expect(notification.inputs).toMatchObject({
      bucket: "sms-audiences-abc123",
      lambdaFunctions: [
        {
          lambdaFunctionArn: fn("enrollment-function-function").outputs.arn,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: "campaigns/",
          filterSuffix: ".csv",
        },
      ],
    });
    expect(recorded.one("aws:lambda/permission:Permission", "enrollment-s3-invoke").inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "s3.amazonaws.com",
      sourceArn: "arn:aws:s3:::sms-audiences-abc123",
      sourceAccount: ACCOUNT_ID,
    });
  });

  it("hands chunks on through a KMS queue consumed one message at a time, with bounded receives into its own dead letter", () => {
    const chunks = queueNamed("sms-campaigns-aws-enrollment-chunks");
    const dlq = queueNamed("sms-campaigns-aws-enrollment-dlq");
    expect(chunks.inputs).toMatchObject({
      kmsMasterKeyId: expect.stringMatching(/:kms:/),
      visibilityTimeoutSeconds: 360,
    });
    expect(JSON.parse(chunks.inputs.redrivePolicy)).toEqual({
      deadLetterTargetArn: dlq.outputs.arn,
      maxReceiveCount: 3,
    });
    const mapping = recorded
      .ofType("aws:lambda/eventSourceMapping:EventSourceMapping")
      .find((m) => m.inputs.eventSourceArn === chunks.outputs.arn)!;
    expect(mapping.inputs).toMatchObject({
      batchSize: 1,
      functionName: fn("enrollment-function-function").outputs.arn,
    });
    expect(
      recorded.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "upload-retries").inputs,
    ).toMatchObject({
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: dlq.outputs.arn } },
    });
    expect(fn("enrollment-function-function").inputs.environment.variables).toMatchObject({
      ENROLLMENT_CHUNK_ROWS: "500",
      ENROLLMENT_QUEUE_URL: chunks.outputs.url,
      CAMPAIGNS_TABLE: "sms-campaigns",
    });
  });

  it("lets enrollment read only audiences and write only campaigns, journeys and subscribers", () => {
    const table = (name: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${name}`;
    const statements = statementsOf("enrollment-function-policy");
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: ["arn:aws:s3:::sms-audiences-abc123/campaigns/*"],
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
          Resource: [table("sms-campaigns")],
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
          Resource: [table("sms-journeys")],
        },
        { Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: [table("sms-subscribers")] },
      ]),
    );
    const actions = statements.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions).not.toContain("sms-voice:SendTextMessage");
    expect(actions).not.toContain("kinesis:PutRecords");
  });
});

describe("the campaign stack outputs", () => {
  it("exports every output connectAwsStack reads, resolved", () => {
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining([...AWS_CAMPAIGN_OUTPUTS]));
    expect(outputs).toMatchObject({
      region: "us-east-1",
      campaignsTable: "sms-campaigns",
      audienceBucket: "sms-audiences-abc123",
      audienceKeyArn: expect.stringMatching(/^arn:aws:kms:/),
      tickerFunction: expect.any(String),
      enrollmentFunction: expect.any(String),
    });
  });

  it("names the revocation clocks table `smsctl compliance report --stack` lists", () => {
    expect(outputs[AWS_REVOCATION_CLOCKS_OUTPUT]).toBe("sms-revocation-clocks");
  });

  it("gives `smsctl review --stack` its stores and the responses function's STOP confirmation settings, read by the command's own parser", () => {
    const review = parseAwsReviewOutputs(outputs);
    expect(review.tables).toMatchObject({
      optOutReviews: "sms-opt-out-reviews",
      optOuts: "sms-opt-outs",
      consentLog: "sms-consent-log",
      revocations: "sms-revocation-clocks",
    });
    const responses = recorded.one("aws:lambda/function:Function", "-responses-function").inputs.environment
      .variables;
    expect(review.replySender).toEqual({
      stopConfirmationText: responses.STOP_CONFIRMATION_TEXT,
      originationIdentity: responses.SMS_ORIGINATION_IDENTITY,
      configurationSet: responses.SMS_CONFIGURATION_SET,
    });
    expect(review.replySender.stopConfirmationText).toMatch(/STOP|unsubscribed/i);
  });
});
