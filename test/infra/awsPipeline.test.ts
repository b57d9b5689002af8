import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CIRCUIT_BREAKER } from "../../core/campaign/circuit-breaker";
import { activeBreaker } from "../../core/campaign/circuit-breaker-setting";
import { SMS_EVENT_FIELDS } from "../../core/events/schema";
import { METRIC } from "../../core/processing/analytics";
import { archiveKeyOf } from "../../core/processing/archive";
import { archiveColumns, archivePartitionKeys } from "../../providers/aws/infra/archiveColumns";
import { AnalyticsEnvSchema, ENV, parseEnv } from "../../providers/aws/runtime/settings";
import { TABLES } from "../../providers/aws/runtime/tables";
import { injectRevocationBreach } from "../support/revocation-breach";
import {
  ACCOUNT_ID,
  awsPlaceholderCode,
  policyDocument,
  type RecordedResource,
  type Recorder,
  recorder,
  resolveOutputs,
  settled,
} from "./harness";

const recorded: Recorder = recorder();
let outputs: Record<string, unknown>;

const config = {
  notificationEmail: "ops@example.com",
  requestPhoneNumber: { isoCountryCode: "US", numberType: "SIMULATOR" },
  notificationPatterns: [{ name: "complaint", type: "keyword", keyword: "COMPLAINT" }],
  optOutThresholds: { optOut: 0.95, review: 0.5 },
};

beforeAll(async () => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "aws", false);
  const { deployStack } = await import("../../stacks/program");
  const code = new pulumi.asset.AssetArchive({
    "index.mjs": new pulumi.asset.StringAsset(
      "export const handler = async () => ({ batchItemFailures: [] });",
    ),
  });
  outputs = (await resolveOutputs(
    deployStack("aws", config, {
      awsCode: () => awsPlaceholderCode(code),
      powertoolsVersion: "2.36.0",
    }),
  )) as Record<string, unknown>;
  await settled(recorded);
});

const statementsOf = (type: string) =>
  recorded.ofType(type).flatMap((r) => policyDocument(r.inputs.policy).Statement);

describe("the AWS pipeline under Pulumi mocks", () => {
  it("creates one customer-managed KMS key with rotation, administered by the account root", () => {
    const key = recorded.one("aws:kms/key:Key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    const statements = policyDocument(key.inputs.policy).Statement;
    expect(statements[0].Principal.AWS).toBe(`arn:aws:iam::${ACCOUNT_ID}:root`);
    const services = statements.find((s) => s.Sid === "ServicesUseWithinAccount");
    expect(services.Condition.StringEquals["aws:SourceAccount"]).toBe(ACCOUNT_ID);
    expect(services.Principal.Service).toEqual(
      expect.arrayContaining([
        "sns.amazonaws.com",
        "sqs.amazonaws.com",
        "events.amazonaws.com",
        "s3.amazonaws.com",
        "kinesis.amazonaws.com",
        "dynamodb.amazonaws.com",
      ]),
    );
    const logs = statements.find((s) => s.Sid === "LogsUseForOwnLogGroups");
    expect(logs.Principal.Service).toBe("logs.us-east-1.amazonaws.com");
  });

  it("creates the Kinesis stream with one-year retention, KMS encryption and two provisioned shards", () => {
    const stream = recorded.one("aws:kinesis/stream:Stream");
    expect(stream.inputs).toMatchObject({
      name: "sms-events-stream",
      retentionPeriod: 8760,
      encryptionType: "KMS",
      kmsKeyId: expect.stringMatching(/^arn:aws:kms:/),
      streamModeDetails: { streamMode: "PROVISIONED" },
      shardCount: 2,
    });
  });

  it("creates every table from the runtime's key design, on demand, with PITR and the customer key", () => {
    const tables = recorded.ofType("aws:dynamodb/table:Table");
    expect(tables.map((t) => t.inputs.name).sort()).toEqual(
      [
        "sms-campaigns",
        "sms-consent-log",
        "sms-journeys",
        "sms-message-log",
        "sms-opt-outs",
        "sms-opt-out-reviews",
        "sms-pending-receipts",
        "sms-responses",
        "sms-revocation-clocks",
        "sms-send-ledger",
        "sms-subscribers",
      ].sort(),
    );
    for (const table of tables) {
      expect(table.inputs.billingMode).toBe("PAY_PER_REQUEST");
      expect(table.inputs.pointInTimeRecovery).toEqual({ enabled: true });
      expect(table.inputs.serverSideEncryption).toEqual({
        enabled: true,
        kmsKeyArn: expect.stringMatching(/^arn:aws:kms:/),
      });
    }
  });

  it("keys the responses table by subscriber and indexes it by campaign, with TTL on ttl", () => {
    const responses = recorded
      .ofType("aws:dynamodb/table:Table")
      .find((t) => t.inputs.name === "sms-responses")!;
    expect(responses.inputs.hashKey).toBe("subscriber_id");
    expect(responses.inputs.rangeKey).toBe(TABLES.responses.rangeKey.name);
    expect(responses.inputs.ttl).toEqual({ enabled: true, attributeName: "ttl" });
    expect(responses.inputs.globalSecondaryIndexes).toContainEqual({
      name: "by_campaign",
      hashKey: "campaign_id",
      rangeKey: "response_timestamp",
      projectionType: "ALL",
    });
    const messageLog = recorded
      .ofType("aws:dynamodb/table:Table")
      .find((t) => t.inputs.name === "sms-message-log")!;
    expect(messageLog.inputs.ttl).toEqual({ enabled: true, attributeName: "ttl" });
  });

  it("turns TTL on for the campaigns table, which only the circuit breaker's hour items use", () => {
    const campaigns = recorded
      .ofType("aws:dynamodb/table:Table")
      .find((t) => t.inputs.name === "sms-campaigns")!;
    expect(campaigns.inputs).toMatchObject({ hashKey: "campaign_id", rangeKey: "item" });
    expect(campaigns.inputs.ttl).toEqual({ enabled: true, attributeName: "ttl" });
  });

  it("keys the parked receipts by consumer and event, indexes them by age, with TTL on ttl", () => {
    const parked = recorded
      .ofType("aws:dynamodb/table:Table")
      .find((t) => t.inputs.name === "sms-pending-receipts")!;
    expect(parked.inputs).toMatchObject({ hashKey: "consumer", rangeKey: "event_id" });
    expect(parked.inputs.ttl).toEqual({ enabled: true, attributeName: "ttl" });
    expect(parked.inputs.globalSecondaryIndexes).toEqual([
      { name: "by_parked_at", hashKey: "consumer", rangeKey: "parked_at", projectionType: "ALL" },
    ]);
  });

  it("keys the revocation clocks by opting-out event and indexes the running ones by opt-out time, without TTL", () => {
    const clocks = recorded
      .ofType("aws:dynamodb/table:Table")
      .find((t) => t.inputs.name === "sms-revocation-clocks")!;
    expect(clocks.inputs).toMatchObject({
      hashKey: "event_id",
      globalSecondaryIndexes: [{ name: "by_opted_out_at", hashKey: "open_shard", rangeKey: "opted_out_at" }],
    });
    expect(clocks.inputs.ttl).toBeUndefined();
  });

  it("keys the opt-out reviews by item (review or hold) and indexes the pending ones by age", () => {
    const reviews = recorded
      .ofType("aws:dynamodb/table:Table")
      .find((t) => t.inputs.name === "sms-opt-out-reviews")!;
    expect(reviews.inputs.hashKey).toBe("item_key");
    expect(reviews.inputs.rangeKey).toBeUndefined();
    expect(reviews.inputs.globalSecondaryIndexes).toEqual([
      { name: "by_received_at", hashKey: "pending_shard", rangeKey: "received_at", projectionType: "ALL" },
    ]);
  });

  it("gives the responses function and the ticker the opt-out thresholds and review table", () => {
    const responses = recorded
      .ofType("aws:lambda/function:Function")
      .find((fn) => fn.name.includes("responses"))!;
    const variables = responses.inputs.environment.variables;
    expect(variables.OPT_OUT_REVIEWS_TABLE).toBe("sms-opt-out-reviews");
    expect(JSON.parse(variables.OPT_OUT_THRESHOLDS)).toEqual(config.optOutThresholds);
  });

  it("locks the archive bucket down: KMS with bucket key, versioning, no public access, TLS only, owner enforced", () => {
    const encryption = recorded.one(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "archive-encryption",
    );
    expect(encryption.inputs.rules[0]).toEqual({
      applyServerSideEncryptionByDefault: {
        sseAlgorithm: "aws:kms",
        kmsMasterKeyId: expect.stringMatching(/^arn:aws:kms:/),
      },
      bucketKeyEnabled: true,
    });
    expect(
      recorded.one("aws:s3/bucketVersioning:BucketVersioning", "archive-versioning").inputs
        .versioningConfiguration,
    ).toEqual({
      status: "Enabled",
    });
    expect(
      recorded.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "archive-public-access-block")
        .inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      recorded.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "archive-ownership").inputs.rule,
    ).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    const [deny] = policyDocument(
      recorded.one("aws:s3/bucketPolicy:BucketPolicy", "archive-tls-only").inputs.policy,
    ).Statement;
    expect(deny).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("tiers the archive to Intelligent-Tiering and expires it after two years, never before one", () => {
    const [rule] = recorded.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "archive-lifecycle",
    ).inputs.rules;
    expect(rule.transitions).toEqual([{ days: 0, storageClass: "INTELLIGENT_TIERING" }]);
    expect(rule.expiration).toEqual({ days: 730 });
    expect(rule.noncurrentVersionExpiration).toEqual({ noncurrentDays: 30 });
  });

  it("describes the Parquet archive to Glue with the canonical fields and date partition projection", () => {
    const table = recorded.one("aws:glue/catalogTable:CatalogTable");
    const columns = table.inputs.storageDescriptor.columns as { name: string; type: string }[];
    expect(columns.map((c) => c.name)).toEqual(SMS_EVENT_FIELDS.map((f) => f.toLowerCase()));
    const typeOf = (name: string) => columns.find((c) => c.name === name)?.type;
    expect([typeOf("occurredat"), typeOf("parts"), typeOf("priceusd"), typeOf("schemaversion")]).toEqual([
      "timestamp",
      "int",
      "double",
      "int",
    ]);
    expect(typeOf("body")).toBe("string");
    expect(table.inputs.partitionKeys).toEqual([{ name: "dt", type: "string" }]);
    // What test/infra/archiveSchema.test.ts checks against real archive files.
    expect(columns).toEqual(archiveColumns());
    expect(table.inputs.partitionKeys).toEqual(archivePartitionKeys());
    expect(table.inputs.parameters).toMatchObject({
      "projection.enabled": "true",
      "projection.dt.type": "date",
      "projection.dt.format": "yyyy-MM-dd",
      "projection.dt.range": "2026-01-01,NOW",
      "storage.location.template": `s3://sms-archive-abc123/events/dt=\${dt}/`,
    });
  });

  it("has the archive function write its objects where the Glue table and its S3 grant look", () => {
    const fn = recorded.one("aws:lambda/function:Function", "-archive-function");
    // The handler's S3 adapter puts S3_PREFIX before core's key (events/dt=.../batch.parquet).
    const written = `${fn.inputs.environment.variables.S3_PREFIX ?? ""}${archiveKeyOf("2026-11-24", "b")}`;
    const template = recorded.one("aws:glue/catalogTable:CatalogTable").inputs.parameters[
      "storage.location.template"
    ] as string;
    const partition = template.replace(`\${dt}`, "2026-11-24").replace("s3://sms-archive-abc123/", "");
    expect(written).toBe(`${partition}b.parquet`);
  });

  it("forces encrypted Athena results in its workgroup", () => {
    const workgroup = recorded.one("aws:athena/workgroup:Workgroup");
    expect(workgroup.inputs.configuration).toMatchObject({
      enforceWorkgroupConfiguration: true,
      resultConfiguration: {
        outputLocation: "s3://sms-archive-abc123/athena-results/",
        encryptionConfiguration: { encryptionOption: "SSE_KMS" },
      },
    });
  });

  it("sets up End User Messaging SMS: configuration set, opt-out list and a two-way number into the inbound topic", () => {
    expect(
      recorded.one("aws:pinpoint/smsvoicev2ConfigurationSet:Smsvoicev2ConfigurationSet").inputs.name,
    ).toBe("sms-campaigns-aws");
    recorded.one("aws:pinpoint/smsvoicev2OptOutList:Smsvoicev2OptOutList");
    const number = recorded.one("aws:pinpoint/smsvoicev2PhoneNumber:Smsvoicev2PhoneNumber");
    expect(number.inputs).toMatchObject({
      isoCountryCode: "US",
      numberType: "SIMULATOR",
      twoWayChannelEnabled: true,
      twoWayChannelArn: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:sms-inbound`,
    });
    expect(recorded.ofType("aws:pinpoint/app:App")).toHaveLength(0);
  });

  it("routes delivery events from EventBridge to the stream, keyed by the recipient's number", () => {
    const rule = recorded.one("aws:cloudwatch/eventRule:EventRule");
    expect(JSON.parse(rule.inputs.eventPattern)).toEqual({ source: ["aws.sms-voice"] });
    const target = recorded.one("aws:cloudwatch/eventTarget:EventTarget");
    expect(target.inputs.arn).toMatch(/:kinesis:.*sms-events-stream$/);
    expect(target.inputs.kinesisTarget).toEqual({ partitionKeyPath: "$.detail.messageId" });
  });

  it("routes inbound replies SNS -> SQS -> Pipe -> stream, keyed by the sender's number", () => {
    const subscription = recorded
      .ofType("aws:sns/topicSubscription:TopicSubscription")
      .find((s) => s.inputs.protocol === "sqs")!;
    expect(subscription.inputs).toMatchObject({
      rawMessageDelivery: true,
      topic: expect.stringMatching(/sms-inbound$/),
    });
    const pipe = recorded.one("aws:pipes/pipe:Pipe");
    expect(pipe.inputs.source).toMatch(/:sqs:.*sms-inbound-queue$/);
    expect(pipe.inputs.target).toMatch(/sms-events-stream$/);
    expect(pipe.inputs.targetParameters.kinesisStreamParameters).toEqual({
      partitionKey: "$.body.originationNumber",
    });
  });

  it("runs five Node.js 22 functions with active tracing and the runtime's environment", () => {
    const functions = recorded.ofType("aws:lambda/function:Function");
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(fn.inputs).toMatchObject({
        runtime: "nodejs22.x",
        handler: "index.handler",
        architectures: ["arm64"],
        tracingConfig: { mode: "Active" },
        // Powertools is external to the bundles: its layer, of the version bundled against, provides it.
        layers: ["value-of:/aws/service/powertools/typescript/generic/all/2.36.0"],
      });
      expect(fn.inputs.environment.variables).toMatchObject({
        STREAM_NAME: "sms-events-stream",
        DYNAMODB_TABLE: "sms-responses",
        S3_BUCKET: "sms-archive-abc123",
        SNS_TOPIC_ARN: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:sms-response-notifications`,
        LOG_LEVEL: "INFO",
        POWERTOOLS_METRICS_NAMESPACE: "SmsCampaigns",
      });
      expect(JSON.parse(fn.inputs.environment.variables.NOTIFICATION_PATTERNS)).toEqual(
        config.notificationPatterns,
      );
    }
  });

  it("maps each function to the stream with per-record failures, bisecting, bounded retries and a DLQ", () => {
    const mappings = recorded
      .ofType("aws:lambda/eventSourceMapping:EventSourceMapping")
      .filter((m) => m.inputs.eventSourceArn.includes(":kinesis:"));
    expect(mappings).toHaveLength(3);
    for (const mapping of mappings) {
      expect(mapping.inputs).toMatchObject({
        eventSourceArn: expect.stringMatching(/sms-events-stream$/),
        functionResponseTypes: ["ReportBatchItemFailures"],
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 3,
        maximumRecordAgeInSeconds: 86400,
        batchSize: 100,
        maximumBatchingWindowInSeconds: 5,
        startingPosition: "TRIM_HORIZON",
        destinationConfig: { onFailure: { destinationArn: expect.stringMatching(/:sqs:.*sms-events-dlq$/) } },
      });
    }
  });

  it("encrypts the queues, topics and log groups with the customer key; logs keep a year", () => {
    for (const queue of recorded.ofType("aws:sqs/queue:Queue"))
      expect(queue.inputs.kmsMasterKeyId).toMatch(/:kms:/);
    for (const topic of recorded.ofType("aws:sns/topic:Topic"))
      expect(topic.inputs.kmsMasterKeyId).toMatch(/:kms:/);
    const logGroups = recorded.ofType("aws:cloudwatch/logGroup:LogGroup");
    expect(logGroups).toHaveLength(5);
    for (const group of logGroups)
      expect(group.inputs).toMatchObject({ retentionInDays: 365, kmsKeyId: expect.stringMatching(/:kms:/) });
  });

  it("subscribes the configured email to notifications and alarms", () => {
    const emails = recorded
      .ofType("aws:sns/topicSubscription:TopicSubscription")
      .filter((s) => s.inputs.protocol === "email");
    expect(emails.map((s) => s.inputs.endpoint)).toEqual(["ops@example.com", "ops@example.com"]);
  });

  it("alarms on delivery rate, opt-out rate, iterator age, function errors and dead letters at the configured thresholds", () => {
    const alarms = recorded.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs);
    const byMetric = (metricName: string) => alarms.filter((a) => a.metricName === metricName);
    expect(byMetric(METRIC.deliveryRate)).toMatchObject([
      { comparisonOperator: "LessThanThreshold", threshold: 95, namespace: "SmsCampaigns" },
    ]);
    expect(byMetric(METRIC.optOutRate)).toMatchObject([
      { comparisonOperator: "GreaterThanThreshold", threshold: 5 },
    ]);
    expect(byMetric("GetRecords.IteratorAgeMilliseconds")).toMatchObject([
      { threshold: 60000, dimensions: { StreamName: "sms-events-stream" } },
    ]);
    expect(byMetric("IteratorAge").map((a) => a.threshold)).toEqual([60000, 60000, 60000]);
    // Every function, the ticker and enrollment too.
    expect(byMetric("Errors").map((a) => [a.comparisonOperator, a.threshold])).toEqual(
      Array.from({ length: 5 }, () => ["GreaterThanThreshold", 0]),
    );
    expect(byMetric("ApproximateNumberOfMessagesVisible")).toMatchObject([
      { threshold: 0, dimensions: { QueueName: "sms-events-dlq" } },
      { threshold: 0, dimensions: { QueueName: "sms-campaigns-aws-ticker-dlq" } },
      { threshold: 0, dimensions: { QueueName: "sms-campaigns-aws-enrollment-dlq" } },
    ]);
    for (const alarm of alarms)
      expect(alarm.alarmActions).toEqual([`arn:aws:sns:us-east-1:${ACCOUNT_ID}:sms-alarms`]);
  });

  it("raises the revocation SLA alarm on an injected breach: it watches exactly the datum the monitor emits", async () => {
    const { datum, failed } = await injectRevocationBreach();
    expect(failed).toEqual(["no_send_after"]);
    const alarms = recorded
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .map((a) => a.inputs)
      .filter((a) => a.metricName === datum.name);
    expect(alarms).toHaveLength(1);
    const [alarm] = alarms;
    // The EMF sink publishes under the stack's namespace; the alarm reads the same series.
    expect(alarm).toMatchObject({
      namespace: "SmsCampaigns",
      statistic: "Sum",
      period: 60,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      alarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT_ID}:sms-alarms`],
    });
    expect(alarm.dimensions ?? {}).toEqual(datum.dimensions);
    expect(datum.value).toBeGreaterThan(alarm.threshold);
  });

  it("draws the dashboard from the analytics metric names and the stream, functions and tables", () => {
    const body = JSON.parse(recorded.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
    const metrics = JSON.stringify(
      body.widgets.map((w: { properties: { metrics: unknown } }) => w.properties.metrics),
    );
    for (const name of [METRIC.deliveryRate, METRIC.responseRate, METRIC.optOutRate, METRIC.costPerMessage]) {
      expect(metrics).toContain(`"SmsCampaigns","${name}"`);
    }
    expect(metrics).toContain("GetRecords.IteratorAgeMilliseconds");
    expect(metrics).toContain("ConsumedWriteCapacityUnits");
  });

  it("grants no wildcard action and no wildcard resource except X-Ray's two write actions", () => {
    const statements = statementsOf("aws:iam/rolePolicy:RolePolicy");
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) {
      for (const action of statement.Action) expect(action).not.toContain("*");
      if (statement.Resource.includes("*")) {
        expect(statement.Action.sort()).toEqual(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
      }
    }
  });

  it("scopes each function's access to its own resources", () => {
    const policyOf = (fn: string) =>
      policyDocument(recorded.one("aws:iam/rolePolicy:RolePolicy", `sms-${fn}-policy`).inputs.policy)
        .Statement;
    const actions = (fn: string) => policyOf(fn).flatMap((s) => s.Action);
    expect(actions("archive")).toContain("s3:PutObject");
    expect(policyOf("archive").find((s) => s.Action.includes("s3:PutObject")).Resource).toEqual([
      "arn:aws:s3:::sms-archive-abc123/events/*",
    ]);
    expect(actions("analytics")).not.toContain("s3:PutObject");
    // Analytics and archive only read the message log, to complete phone-less receipts, and
    // write only the parked receipts they cannot complete yet.
    const parked = "arn:aws:dynamodb:us-east-1:123456789012:table/sms-pending-receipts";
    // Analytics also runs the circuit breaker: the campaign items (window counters, the pause)
    // and the notification topic, and nothing more.
    const breakerGrants = [
      expect.objectContaining({
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        Resource: ["arn:aws:dynamodb:us-east-1:123456789012:table/sms-campaigns"],
      }),
    ];
    for (const fn of ["analytics", "archive"]) {
      const grants = policyOf(fn).filter((s) => s.Action.some((a: string) => a.startsWith("dynamodb:")));
      expect(grants).toEqual([
        expect.objectContaining({
          Action: ["dynamodb:GetItem"],
          Resource: ["arn:aws:dynamodb:us-east-1:123456789012:table/sms-message-log"],
        }),
        expect.objectContaining({
          Action: ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchGetItem"],
          Resource: [parked, `${parked}/index/*`],
        }),
        ...(fn === "analytics" ? breakerGrants : []),
        // The archive reads erasure tombstones (opt-outs table), to drop an erased number's rows.
        ...(fn === "archive"
          ? [
              expect.objectContaining({
                Action: ["dynamodb:GetItem"],
                Resource: ["arn:aws:dynamodb:us-east-1:123456789012:table/sms-opt-outs"],
              }),
            ]
          : []),
      ]);
    }
    expect(actions("analytics")).toContain("sns:Publish");
    expect(actions("archive")).not.toContain("sns:Publish");
    // No other role touches the parked receipts.
    const grantedParked = recorded
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .filter((p) =>
        policyDocument(p.inputs.policy).Statement.some((s: { Resource: string | string[] }) =>
          [s.Resource].flat().some((arn) => arn.startsWith(parked)),
        ),
      )
      .map((p) => p.name)
      .sort();
    expect(grantedParked).toEqual(["sms-analytics-policy", "sms-archive-policy"]);
    expect(actions("responses")).toEqual(
      expect.arrayContaining(["dynamodb:PutItem", "sns:Publish", "sms-voice:SendTextMessage"]),
    );
    const tableArns = policyOf("responses").find((s) => s.Action.includes("dynamodb:PutItem")).Resource;
    expect(tableArns.filter((arn: string) => !arn.endsWith("/index/*"))).toEqual([
      "arn:aws:dynamodb:us-east-1:123456789012:table/sms-responses",
      "arn:aws:dynamodb:us-east-1:123456789012:table/sms-opt-outs",
      "arn:aws:dynamodb:us-east-1:123456789012:table/sms-opt-out-reviews",
      "arn:aws:dynamodb:us-east-1:123456789012:table/sms-message-log",
      "arn:aws:dynamodb:us-east-1:123456789012:table/sms-journeys",
      "arn:aws:dynamodb:us-east-1:123456789012:table/sms-subscribers",
    ]);
    // Consent evidence: only the responses function appends (no update, no delete); the ticker's
    // revocation SLA monitor only queries a number's chain (did it opt back in?).
    const consentLog = "arn:aws:dynamodb:us-east-1:123456789012:table/sms-consent-log";
    expect(policyOf("responses").filter((s) => [s.Resource].flat().includes(consentLog))).toEqual([
      expect.objectContaining({
        Action: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
        Resource: [consentLog],
      }),
    ]);
    const grantedConsent = recorded
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .filter((p) =>
        policyDocument(p.inputs.policy).Statement.some((s: { Resource: string | string[] }) =>
          [s.Resource].flat().some((arn) => arn.startsWith(consentLog)),
        ),
      )
      .map((p) => p.name)
      .sort();
    expect(grantedConsent).toEqual(["sms-responses-policy", "sms-ticker-function-policy"]);
    const tickerConsent = policyDocument(
      recorded.one("aws:iam/rolePolicy:RolePolicy", "sms-ticker-function-policy").inputs.policy,
    ).Statement.filter((s: { Resource: string | string[] }) => [s.Resource].flat().includes(consentLog));
    expect(tickerConsent.map((s: { Action: string[] }) => s.Action)).toEqual([["dynamodb:Query"]]);
    const consentTableOf = (fn: RecordedResource): string | undefined =>
      fn.inputs.environment.variables.CONSENT_LOG_TABLE;
    expect(consentTableOf(recorded.one("aws:lambda/function:Function", "-responses-function"))).toBe(
      "sms-consent-log",
    );
    const othersNamingIt = recorded
      .ofType("aws:lambda/function:Function")
      .filter(
        (fn) =>
          !fn.name.endsWith("-responses-function") &&
          !fn.name.endsWith("-ticker-function-function") &&
          consentTableOf(fn) !== undefined,
      );
    expect(othersNamingIt).toEqual([]);
    const logs = policyOf("responses").find((s) => s.Action.includes("logs:PutLogEvents"));
    expect(logs.Resource).toEqual([
      `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aws/lambda/sms-campaigns-aws-responses:*`,
    ]);
  });

  it("exports the stream, tables, bucket, topics, dashboard and Athena names", () => {
    expect(outputs).toMatchObject({
      streamName: "sms-events-stream",
      tables: { responses: "sms-responses", optOuts: "sms-opt-outs" },
      archiveBucket: "sms-archive-abc123",
      notificationTopicArn: expect.stringMatching(/sms-response-notifications$/),
      alarmTopicArn: expect.stringMatching(/sms-alarms$/),
      dashboardUrl: expect.stringContaining("#dashboards:name=sms-campaigns-aws"),
      athenaTable: "sms_events",
      athenaWorkgroup: "sms-campaigns-aws",
    });
  });

  it("gives the analytics function all its circuit breaker needs: the handler's own settings read the stack's breaker, campaigns table and topic", () => {
    const deployed = recorded.one("aws:lambda/function:Function", "-analytics-function").inputs.environment
      .variables;
    const env = parseEnv(AnalyticsEnvSchema, deployed);
    expect(activeBreaker(env[ENV.circuitBreaker])).toEqual(DEFAULT_CIRCUIT_BREAKER);
    expect(env[ENV.campaignsTable]).toBe("sms-campaigns");
    expect(env[ENV.notificationTopicArn]).toMatch(/^arn:aws:sns:/);
  });
});
