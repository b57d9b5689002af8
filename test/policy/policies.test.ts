import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { alarmsPresent } from "../../policy/alarms";
import { bucketsEncrypted, encryptionAtRest } from "../../policy/encryption";
import { eventSourceMappingFailureHandling } from "../../policy/eventSourceMappings";
import { leastPrivilegeIam } from "../../policy/iam";
import { RESOURCE_POLICIES, STACK_POLICIES } from "../../policy/rules";
import { scheduleTargetsFailSafely } from "../../policy/schedules";
import { bucketsBlockPublicAccess, noPublicStorageSettings } from "../../policy/storage";
import { streamRetentionAndEncryption } from "../../policy/stream";
import { tablesHaveTtl } from "../../policy/tables";
import {
  awsPlaceholderCode,
  type RecordedResource,
  type Recorder,
  recorder,
  settled,
} from "../infra/harness";
import { fakeResource, runPack, runResourcePolicy, runStackPolicy } from "./harness";

const recorded: Recorder = recorder();

beforeAll(async () => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "aws", false);
  const { deployStack } = await import("../../stacks/program");
  const code = new pulumi.asset.AssetArchive({
    "index.mjs": new pulumi.asset.StringAsset("export const handler = () => {};"),
  });
  deployStack(
    "aws",
    { notificationEmail: "ops@example.com" },
    {
      awsCode: () => awsPlaceholderCode(code),
      powertoolsVersion: "2.36.0",
    },
  );
  await settled(recorded);
});

/** A deep copy of a recorded resource with its inputs (and outputs) changed by `change`. */
// biome-ignore lint/suspicious/noExplicitAny: test mutations of untyped JSON
type Props = Record<string, any>;
const mutated = (resource: RecordedResource, change: (props: Props) => void): RecordedResource => {
  const copy = structuredClone(resource);
  change(copy.inputs);
  change(copy.outputs);
  return copy;
};

const messages = async (
  policy: Parameters<typeof runResourcePolicy>[0],
  resource: RecordedResource,
  config = {},
) => (await runResourcePolicy(policy, resource, config)).violations.map((v) => v.message);

const stackMessages = async (policy: Parameters<typeof runStackPolicy>[0], resources: RecordedResource[]) =>
  (await runStackPolicy(policy, resources)).violations.map((v) => v.message);

describe("the policy pack on the AWS stack", () => {
  it("finds no mandatory violation anywhere in the stack", async () => {
    expect(recorded.resources.length).toBeGreaterThan(50);
    expect(await runPack(RESOURCE_POLICIES, STACK_POLICIES, recorded.resources)).toEqual([]);
  });

  it("declares every rule mandatory", () => {
    for (const policy of [...RESOURCE_POLICIES, ...STACK_POLICIES])
      expect(policy.enforcementLevel).toBe("mandatory");
  });
});

describe("stream retention and encryption", () => {
  const stream = () => recorded.one("aws:kinesis/stream:Stream");

  it("passes the stack's stream and is not applicable to other types", async () => {
    expect(await messages(streamRetentionAndEncryption, stream())).toEqual([]);
    const onTable = await runResourcePolicy(
      streamRetentionAndEncryption,
      recorded.ofType("aws:dynamodb/table:Table")[0],
    );
    expect(onTable.notApplicable).toBe(true);
  });

  it("fails a one-day stream and an AWS-managed key", async () => {
    expect(
      await messages(
        streamRetentionAndEncryption,
        mutated(stream(), (p) => {
          p.retentionPeriod = 24;
        }),
      ),
    ).toEqual(["retention is 24 h; it must be at least 8760 h"]);
    expect(
      await messages(
        streamRetentionAndEncryption,
        mutated(stream(), (p) => {
          p.kmsKeyId = "alias/aws/kinesis";
        }),
      ),
    ).toEqual(["kmsKeyId must be a customer-managed KMS key, not the AWS-managed alias/aws/kinesis"]);
  });

  it("honours a configured minimum retention", async () => {
    const week = mutated(stream(), (p) => {
      p.retentionPeriod = 168;
    });
    expect(await messages(streamRetentionAndEncryption, week, { minimumRetentionHours: 168 })).toEqual([]);
  });
});

describe("TTL on tables", () => {
  const responses = () =>
    recorded.ofType("aws:dynamodb/table:Table").find((t) => t.inputs.name === "sms-responses")!;

  it("fails a responses table without TTL or point-in-time recovery", async () => {
    const bare = mutated(responses(), (p) => {
      delete p.ttl;
      p.pointInTimeRecovery = { enabled: false };
    });
    expect(await messages(tablesHaveTtl, bare)).toEqual([
      'table "sms-responses" holds data with a retention limit: enable TTL with an attribute name',
      'table "sms-responses" must enable point-in-time recovery',
    ]);
  });

  it("does not ask the opt-out table for a TTL", async () => {
    const optOuts = recorded
      .ofType("aws:dynamodb/table:Table")
      .find((t) => t.inputs.name === "sms-opt-outs")!;
    expect(optOuts.inputs.ttl).toBeUndefined();
    expect(await messages(tablesHaveTtl, optOuts)).toEqual([]);
  });
});

describe("no public storage", () => {
  it("fails a public ACL, a policy allowing everyone, ACL-enabled ownership and a partial block", async () => {
    expect(
      await messages(
        noPublicStorageSettings,
        fakeResource("aws:s3/bucketAcl:BucketAcl", "acl", { acl: "public-read" }),
      ),
    ).toEqual(['ACL "public-read" makes the bucket public']);
    const openPolicy = mutated(recorded.one("aws:s3/bucketPolicy:BucketPolicy", "archive-tls-only"), (p) => {
      p.policy = JSON.stringify({
        Statement: [
          {
            Sid: "Open",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::b/*",
          },
        ],
      });
    });
    expect(await messages(noPublicStorageSettings, openPolicy)).toEqual([
      "bucket policy statement Open allows everyone",
    ]);
    const ownership = mutated(
      recorded.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "archive-ownership"),
      (p) => {
        p.rule = { objectOwnership: "ObjectWriter" };
      },
    );
    expect(await messages(noPublicStorageSettings, ownership)).toEqual([
      'objectOwnership must be "BucketOwnerEnforced" (ACLs disabled)',
    ]);
    const block = mutated(
      recorded.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "archive-public-access-block"),
      (p) => {
        p.restrictPublicBuckets = false;
      },
    );
    expect(await messages(noPublicStorageSettings, block)).toEqual([
      "public access block must set restrictPublicBuckets to true",
    ]);
  });

  it("passes the stack's deny-insecure-transport bucket policy", async () => {
    expect(
      await messages(
        noPublicStorageSettings,
        recorded.one("aws:s3/bucketPolicy:BucketPolicy", "archive-tls-only"),
      ),
    ).toEqual([]);
  });

  it("fails a bucket that has no public access block", async () => {
    const withoutBlock = recorded.resources.filter(
      (r) =>
        r.type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" ||
        !r.name.endsWith("archive-public-access-block"),
    );
    expect(await stackMessages(bucketsBlockPublicAccess, withoutBlock)).toEqual([
      'bucket "sms-archive-abc123" has no public access block with all four settings on',
    ]);
  });
});

describe("encryption everywhere", () => {
  it.each([
    [
      "aws:kinesis/stream:Stream",
      { encryptionType: "NONE" },
      "stream must use KMS encryption with a customer-managed key",
    ],
    [
      "aws:dynamodb/table:Table",
      { serverSideEncryption: { enabled: false } },
      "table must enable server-side encryption with a customer-managed kmsKeyArn",
    ],
    [
      "aws:sns/topic:Topic",
      { kmsMasterKeyId: "alias/aws/sns" },
      "topic must set kmsMasterKeyId to a customer-managed key",
    ],
    [
      "aws:sqs/queue:Queue",
      { kmsMasterKeyId: undefined, sqsManagedSseEnabled: true },
      "queue must set kmsMasterKeyId to a customer-managed key",
    ],
    [
      "aws:cloudwatch/logGroup:LogGroup",
      { kmsKeyId: undefined },
      "log group must set kmsKeyId to a customer-managed key",
    ],
    [
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      'bucket encryption must default to "aws:kms" with a customer-managed key',
    ],
    ["aws:kms/key:Key", { enableKeyRotation: false }, "KMS key must enable automatic rotation"],
  ])("fails a %s changed to %j", async (type, change, expected) => {
    const resource = mutated(recorded.ofType(type)[0], (p) => Object.assign(p, change));
    expect(await messages(encryptionAtRest, resource)).toEqual([expected]);
    expect(await messages(encryptionAtRest, recorded.ofType(type)[0])).toEqual([]);
  });

  it("fails a bucket without an encryption configuration", async () => {
    const type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    expect(
      await stackMessages(
        bucketsEncrypted,
        recorded.resources.filter((r) => r.type !== type || !r.name.endsWith("archive-encryption")),
      ),
    ).toEqual(['bucket "sms-archive-abc123" has no server-side encryption configuration']);
  });
});

describe("least-privilege IAM", () => {
  const policy = (statements: unknown[]) =>
    fakeResource("aws:iam/rolePolicy:RolePolicy", "p", { policy: JSON.stringify({ Statement: statements }) });

  it("fails wildcard actions, star resources outside the allow-list, and NotAction", async () => {
    expect(
      await messages(
        leastPrivilegeIam,
        policy([
          {
            Sid: "Wild",
            Effect: "Allow",
            Action: ["dynamodb:*"],
            Resource: ["arn:aws:dynamodb:us-east-1:1:table/t"],
          },
          { Sid: "Everywhere", Effect: "Allow", Action: "s3:PutObject", Resource: "*" },
          { Sid: "Inverse", Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" },
        ]),
      ),
    ).toEqual([
      'statement "Wild" grants wildcard actions dynamodb:*',
      'statement "Everywhere" grants s3:PutObject on every resource ("*")',
      'statement "Inverse" uses NotAction (grants everything else)',
    ]);
  });

  it("accepts X-Ray's two write actions on * and explicit denies", async () => {
    expect(
      await messages(
        leastPrivilegeIam,
        policy([
          { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: ["*"] },
          { Effect: "Deny", Action: "*", Resource: "*" },
        ]),
      ),
    ).toEqual([]);
  });

  it("checks roles' inline policies too", async () => {
    const role = fakeResource("aws:iam/role:Role", "r", {
      inlinePolicies: [
        { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) },
      ],
    });
    expect(await messages(leastPrivilegeIam, role)).toEqual([
      "a statement grants wildcard actions *",
      'a statement grants * on every resource ("*")',
    ]);
  });
});

describe("least-privilege IAM on the campaign functions", () => {
  const rolePolicy = (suffix: string) => recorded.one("aws:iam/rolePolicy:RolePolicy", suffix);

  it("passes the ticker's, enrollment's and scheduler's own policies", async () => {
    for (const suffix of [
      "ticker-function-policy",
      "enrollment-function-policy",
      "ticker-scheduler-policy",
    ]) {
      expect(await messages(leastPrivilegeIam, rolePolicy(suffix))).toEqual([]);
    }
  });

  it("fails the scheduler's policy once it grants lambda:* instead of invoking the ticker", async () => {
    const widened = mutated(rolePolicy("ticker-scheduler-policy"), (p) => {
      const document = JSON.parse(p.policy);
      document.Statement[0].Action = ["lambda:*"];
      p.policy = JSON.stringify(document);
    });
    expect(await messages(leastPrivilegeIam, widened)).toEqual([
      "a statement grants wildcard actions lambda:*",
    ]);
  });
});

describe("schedule targets with a dead letter and bounded retries", () => {
  const schedule = () => recorded.one("aws:scheduler/schedule:Schedule");

  it("passes the stack's ticker schedule and is not applicable to other types", async () => {
    expect(await messages(scheduleTargetsFailSafely, schedule())).toEqual([]);
    const queue = recorded.ofType("aws:sqs/queue:Queue")[0];
    expect((await runResourcePolicy(scheduleTargetsFailSafely, queue)).notApplicable).toBe(true);
  });

  it("fails a target without a dead-letter queue, retry count or event age", async () => {
    const careless = mutated(schedule(), (p) => {
      delete p.target.deadLetterConfig;
      p.target.retryPolicy = {};
    });
    expect(await messages(scheduleTargetsFailSafely, careless)).toEqual([
      "target.deadLetterConfig.arn must name a dead-letter queue",
      "target.retryPolicy.maximumRetryAttempts must be set to at most 5 (the default is 185)",
      "target.retryPolicy.maximumEventAgeInSeconds must be set (the default keeps retrying for a day)",
    ]);
  });

  it("fails more retries than the configured limit", async () => {
    const eager = mutated(schedule(), (p) => {
      p.target.retryPolicy.maximumRetryAttempts = 185;
    });
    expect(await messages(scheduleTargetsFailSafely, eager)).toEqual([
      "target.retryPolicy.maximumRetryAttempts must be set to at most 5 (the default is 185)",
    ]);
    expect(await messages(scheduleTargetsFailSafely, schedule(), { maximumRetryAttempts: 1 })).toEqual([
      "target.retryPolicy.maximumRetryAttempts must be set to at most 1 (the default is 185)",
    ]);
  });
});

describe("event source mappings with failure handling", () => {
  const mapping = () => recorded.ofType("aws:lambda/eventSourceMapping:EventSourceMapping")[0];

  it("fails a mapping without item failures, bisecting, bounds or a destination", async () => {
    const careless = mutated(mapping(), (p) => {
      p.functionResponseTypes = [];
      p.bisectBatchOnFunctionError = false;
      p.maximumRetryAttempts = -1;
      delete p.maximumRecordAgeInSeconds;
      delete p.destinationConfig;
    });
    expect(await messages(eventSourceMappingFailureHandling, careless)).toEqual([
      'functionResponseTypes must include "ReportBatchItemFailures"',
      "bisectBatchOnFunctionError must be true",
      "maximumRetryAttempts must be set to a bounded value (0-10000)",
      "maximumRecordAgeInSeconds must be set to a bounded value (60-604800)",
      "destinationConfig.onFailure.destinationArn must name a dead-letter destination",
    ]);
  });

  it("leaves queue sources alone", async () => {
    const sqs = mutated(mapping(), (p) => {
      p.eventSourceArn = "arn:aws:sqs:us-east-1:1:q";
    });
    expect((await runResourcePolicy(eventSourceMappingFailureHandling, sqs)).notApplicable).toBe(true);
  });
});

describe("alarms present", () => {
  const without = (predicate: (alarm: RecordedResource) => boolean) =>
    recorded.resources.filter((r) => !(r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && predicate(r)));

  it("fails a stack missing the delivery-rate, iterator-age, error and dead-letter alarms", async () => {
    const found = await stackMessages(
      alarmsPresent,
      without(
        (a) =>
          [
            "DeliveryRate",
            "GetRecords.IteratorAgeMilliseconds",
            "ApproximateNumberOfMessagesVisible",
          ].includes(a.inputs.metricName) ||
          (a.inputs.metricName === "Errors" &&
            a.inputs.dimensions.FunctionName.endsWith("archive-function-physical")),
      ),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        "no alarm on the campaign metric DeliveryRate",
        'stream "sms-events-stream" has no GetRecords.IteratorAgeMilliseconds alarm',
        'dead-letter queue "sms-events-dlq" has no ApproximateNumberOfMessagesVisible alarm',
      ]),
    );
    expect(found.some((m) => /stream consumer ".*archive.*" has no Errors alarm/.test(m))).toBe(true);
  });

  it("fails a stack without the revocation SLA alarm", async () => {
    const found = await stackMessages(
      alarmsPresent,
      without((a) => a.inputs.metricName === "RevocationSlaBreaches"),
    );
    expect(found).toEqual(["no alarm on the compliance metric RevocationSlaBreaches"]);
  });

  it("fails an alarm that notifies no one", async () => {
    const silent = recorded.resources.map((r) =>
      r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.metricName === "OptOutRate"
        ? mutated(r, (p) => {
            p.alarmActions = [];
          })
        : r,
    );
    expect(await stackMessages(alarmsPresent, silent)).toEqual([
      expect.stringMatching(/^alarm ".*opt-out-rate" notifies no one$/),
    ]);
  });

  it("is not applicable to a stack without a stream", async () => {
    expect((await runStackPolicy(alarmsPresent, [])).notApplicable).toBe(true);
  });
});
