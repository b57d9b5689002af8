import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CIRCUIT_BREAKER } from "../../core/campaign/circuit-breaker";
import { activeBreaker } from "../../core/campaign/circuit-breaker-setting";
import { METRIC } from "../../core/processing/analytics";
import { REVOCATION_SLA_METRIC } from "../../core/processing/revocation-sla";
import { bigQueryArchiveSchema } from "../../providers/gcp/infra/archiveSchema";
import { parseGcpStackConfig, tickScheduleOf, tickTimeoutSecondsOf } from "../../providers/gcp/infra/config";
import { CAMPAIGN_STACK_OUTPUTS, REVOCATION_CLOCKS_OUTPUT } from "../../providers/gcp/infra/environment";
import { parseGcpStackOutputs } from "../../providers/gcp/runtime/campaign-stack";
import { parseGcpReviewOutputs } from "../../providers/gcp/runtime/review-stack";
import { AnalyticsEnvSchema, ENV, parseEnv } from "../../providers/gcp/runtime/settings";
import { injectRevocationBreach } from "../support/revocation-breach";
import { deployGcpPipeline, gcpRecorder, PROJECT, PROJECT_NUMBER } from "./gcpHarness";
import { type Recorder, resolveOutputs, settled } from "./harness";

const recorded: Recorder = gcpRecorder();
let outputs: Record<string, unknown>;

/**
 * The mocks do not see a resource's dependsOn, only its effect: Pulumi registers a resource once
 * the resources it depends on are registered. Secret grants answer late here, so a function that
 * did not depend on its grants would start registering before they finish.
 */
const registrations: string[] = [];
const recordedNewResource = recorded.mocks.newResource.bind(recorded.mocks);
recorded.mocks.newResource = async (args) => {
  registrations.push(`start ${args.name}`);
  if (args.type === "gcp:secretmanager/secretIamMember:SecretIamMember")
    await new Promise((resolve) => setTimeout(resolve, 20));
  const result = await recordedNewResource(args);
  registrations.push(`done ${args.name}`);
  return result;
};

const config = {
  notificationEmail: "ops@example.com",
  streamRetentionHours: 8760,
  twilioAuthToken: "secret-token",
  twilioAccountSid: `AC${"a".repeat(32)}`,
  twilioMessagingServiceSid: `MG${"b".repeat(32)}`,
  notificationPatterns: [{ name: "complaint", type: "keyword", keyword: "COMPLAINT" }],
  phoneHashSalt: "phone-hash-salt-0123456789abcdef",
  optOutThresholds: { optOut: 0.95, review: 0.5 },
};

beforeAll(async () => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "gcp", false);
  outputs = (await resolveOutputs(deployGcpPipeline(config))) as Record<string, unknown>;
  await settled(recorded);
});

const KEY = `projects/${PROJECT}/locations/europe-west1/keyRings/sms-campaigns-gcp/cryptoKeys/sms-data`;
const PUBSUB_AGENT = `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;
const topicNamed = (name: string) =>
  recorded.ofType("gcp:pubsub/topic:Topic").find((t) => t.inputs.name === name);
const membersOf = (type: string) => recorded.ofType(type).map((r) => r.inputs);
const secretNamed = (secretId: string) => {
  const secret = recorded
    .ofType("gcp:secretmanager/secret:Secret")
    .find((s) => s.inputs.secretId === secretId);
  if (!secret) throw new Error(`no secret ${secretId}`);
  return secret;
};

describe("the GCP pipeline under Pulumi mocks", () => {
  it("keeps the phone hash's salt in Secret Manager (CMEK) and hands it, as a secret variable, to the functions that write a number (they screen erased ones), never to analytics or the webhook", () => {
    const secret = secretNamed("sms-campaigns-gcp-phone-hash-salt");
    expect(secret.inputs.replication.userManaged.replicas[0].customerManagedEncryption.kmsKeyName).toBe(KEY);
    const version = recorded
      .ofType("gcp:secretmanager/secretVersion:SecretVersion")
      .find((v) => v.inputs.secret === secret.outputs.id);
    expect(version?.inputs.secretData).toBe("phone-hash-salt-0123456789abcdef");
    expect(version?.secrets).toContain("secretData");
    const functions = recorded.ofType("gcp:cloudfunctionsv2/function:Function");
    for (const fn of functions) {
      expect(JSON.stringify(fn.inputs.serviceConfig.environmentVariables ?? {})).not.toContain(
        "phone-hash-salt-0123456789abcdef",
      );
    }
    const withSalt = functions.filter((f) =>
      (f.inputs.serviceConfig.secretEnvironmentVariables as { key: string; secret: string }[]).some(
        (s) => s.key === "PHONE_HASH_SALT" && s.secret === "sms-campaigns-gcp-phone-hash-salt",
      ),
    );
    expect(withSalt.map((f) => f.inputs.name).sort()).toEqual([
      "sms-campaigns-gcp-archive",
      "sms-campaigns-gcp-enrollment",
      "sms-campaigns-gcp-responses",
      "sms-campaigns-gcp-ticker",
    ]);
    // Each of them, and no other account, may read that secret.
    const readers = membersOf("gcp:secretmanager/secretIamMember:SecretIamMember")
      .filter((g) => g.secretId === secret.outputs.id)
      .map((g) => [g.member, g.role]);
    expect(readers.sort()).toEqual(
      ["archive", "enrollment", "responses", "ticker"].map((id) => [
        `serviceAccount:sms-${id}@sms-test-project.iam.gserviceaccount.com`,
        "roles/secretmanager.secretAccessor",
      ]),
    );
    // The archive looks tombstones up in the opt-outs collection (ticker, enrollment and responses
    // name it already).
    for (const fn of withSalt) {
      expect(fn.inputs.serviceConfig.environmentVariables.OPT_OUTS_COLLECTION).toBe("sms-opt-outs");
    }
    // And each may read this stack's database (Firestore IAM has no collection scope; every one of
    // them writes other collections of it already, so the grant is the user role, nothing wider).
    const databaseRoles = membersOf("gcp:projects/iAMMember:IAMMember").filter((g) =>
      g.condition.expression.includes(`databases/sms-campaigns-gcp`),
    );
    for (const [member] of readers) {
      expect(databaseRoles.filter((g) => g.member === member).map((g) => g.role)).toEqual([
        "roles/datastore.user",
      ]);
    }
  });

  it("creates one rotating Cloud KMS key and lets each service agent use it, on the key only", () => {
    const key = recorded.one("gcp:kms/cryptoKey:CryptoKey");
    expect(key.inputs.rotationPeriod).toBe("7776000s");
    const grants = membersOf("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
    expect(grants.map((g) => g.member).sort()).toEqual(
      [
        PUBSUB_AGENT,
        `serviceAccount:service-${PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com`,
        `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-firestore.iam.gserviceaccount.com`,
        `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-secretmanager.iam.gserviceaccount.com`,
        `serviceAccount:bq-${PROJECT_NUMBER}@bigquery-encryption.iam.gserviceaccount.com`,
      ].sort(),
    );
    for (const grant of grants) {
      expect(grant).toMatchObject({ cryptoKeyId: KEY, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter" });
    }
  });

  it("encrypts every topic with the key and clamps the events topic's retention to Pub/Sub's 31 days", () => {
    const topics = recorded.ofType("gcp:pubsub/topic:Topic");
    expect(topics.map((t) => t.inputs.name).sort()).toEqual(
      [
        "sms-alarms",
        "sms-campaigns-gcp-enrollment",
        "sms-events-dlq",
        "sms-events-stream",
        "sms-response-notifications",
      ].sort(),
    );
    for (const topic of topics) expect(topic.inputs.kmsKeyName).toBe(KEY);
    expect(topicNamed("sms-events-stream")?.inputs).toMatchObject({
      messageRetentionDuration: "2678400s",
      messageStoragePolicy: { allowedPersistenceRegions: ["europe-west1"] },
    });
  });

  it("gives each consumer an ordered push subscription with bounded retries into the dead-letter topic", () => {
    const subscriptions = recorded
      .ofType("gcp:pubsub/subscription:Subscription")
      .filter((s) => s.inputs.pushConfig && s.inputs.name.startsWith("sms-events-stream"));
    expect(subscriptions.map((s) => s.inputs.name).sort()).toEqual([
      "sms-events-stream-analytics",
      "sms-events-stream-archive",
      "sms-events-stream-responses",
    ]);
    for (const subscription of subscriptions) {
      const consumer = subscription.inputs.name.split("-").at(-1);
      expect(subscription.inputs).toMatchObject({
        topic: `projects/${PROJECT}/topics/sms-events-stream`,
        enableMessageOrdering: true,
        retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
        deadLetterPolicy: {
          deadLetterTopic: `projects/${PROJECT}/topics/sms-events-dlq`,
          maxDeliveryAttempts: 5,
        },
        expirationPolicy: { ttl: "" },
      });
      // The Functions Framework reads the topic from the push path to build the Pub/Sub CloudEvent.
      expect(subscription.inputs.pushConfig.pushEndpoint).toBe(
        `https://sms-campaigns-gcp-${consumer}-abc123-ew.a.run.app/projects/${PROJECT}/topics/sms-events-stream`,
      );
      expect(subscription.inputs.pushConfig.oidcToken.serviceAccountEmail).toMatch(/-push@/);
    }
  });

  it("lets the Pub/Sub agent dead-letter: publisher on the dead-letter topic, subscriber on each subscription", () => {
    const topicGrants = membersOf("gcp:pubsub/topicIAMMember:TopicIAMMember");
    expect(topicGrants).toContainEqual({
      topic: `projects/${PROJECT}/topics/sms-events-dlq`,
      role: "roles/pubsub.publisher",
      member: PUBSUB_AGENT,
    });
    const subscriptionGrants = membersOf("gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember");
    expect(
      subscriptionGrants.filter((g) => g.member === PUBSUB_AGENT && g.role === "roles/pubsub.subscriber"),
    ).toHaveLength(4);
  });

  it("keeps dead letters in a never-expiring holding subscription", () => {
    const holding = recorded.ofType("gcp:pubsub/subscription:Subscription").find((s) => !s.inputs.pushConfig);
    expect(holding?.inputs).toMatchObject({
      name: "sms-events-dlq-holding",
      topic: `projects/${PROJECT}/topics/sms-events-dlq`,
      expirationPolicy: { ttl: "" },
    });
  });

  it("creates a native-mode Firestore database with CMEK, PITR and TTL policies on the reply, message and parked-receipt timestamps", () => {
    const database = recorded.one("gcp:firestore/database:Database");
    expect(database.inputs).toMatchObject({
      name: "sms-campaigns-gcp",
      type: "FIRESTORE_NATIVE",
      locationId: "europe-west1",
      cmekConfig: { kmsKeyName: KEY },
      pointInTimeRecoveryEnablement: "POINT_IN_TIME_RECOVERY_ENABLED",
    });
    const ttl = membersOf("gcp:firestore/field:Field");
    expect(ttl.map((f) => [f.collection, f.field]).sort()).toEqual([
      ["counters", "expireAt"],
      ["sms-message-log", "expireAt"],
      ["sms-pending-receipts", "expireAt"],
      ["sms-responses", "expireAt"],
    ]);
    for (const field of ttl) expect(field.ttlConfig).toEqual({});
    const indexes = membersOf("gcp:firestore/index:Index").map((i) => i.collection);
    expect(indexes.sort()).toEqual([
      "sms-journeys",
      "sms-message-log",
      "sms-message-log",
      "sms-opt-out-reviews",
      "sms-pending-receipts",
      "sms-revocation-clocks",
    ]);
    // The newest message to a number (lastTo), and the monitor's sends to it oldest first (sentBetween).
    expect(
      membersOf("gcp:firestore/index:Index")
        .filter((i) => i.collection === "sms-message-log")
        .map((i) => i.fields),
    ).toEqual([
      [
        { fieldPath: "phoneNumber", order: "ASCENDING" },
        { fieldPath: "sentAt", order: "DESCENDING" },
      ],
      [
        { fieldPath: "phoneNumber", order: "ASCENDING" },
        { fieldPath: "sentAt", order: "ASCENDING" },
      ],
    ]);
    // The revocation SLA monitor's due clocks, oldest opt-out first.
    expect(
      membersOf("gcp:firestore/index:Index").find((i) => i.collection === "sms-revocation-clocks")?.fields,
    ).toEqual([
      { fieldPath: "open", order: "ASCENDING" },
      { fieldPath: "optedOutAt", order: "ASCENDING" },
      { fieldPath: "eventId", order: "ASCENDING" },
    ]);
    // `smsctl review list` of a deployed stack: pending reviews, oldest first.
    const pendingReviews = membersOf("gcp:firestore/index:Index").find(
      (i) => i.collection === "sms-opt-out-reviews",
    );
    expect(pendingReviews?.fields).toEqual([
      { fieldPath: "status", order: "ASCENDING" },
      { fieldPath: "receivedAt", order: "ASCENDING" },
      { fieldPath: "eventId", order: "ASCENDING" },
    ]);
    const oldestParked = membersOf("gcp:firestore/index:Index").find(
      (i) => i.collection === "sms-pending-receipts",
    );
    expect(oldestParked?.fields).toEqual([
      { fieldPath: "consumer", order: "ASCENDING" },
      { fieldPath: "parkedAt", order: "ASCENDING" },
    ]);
  });

  it("makes every bucket (archive, source, audience) private (UBLA, public access prevention), CMEK-encrypted and versioned", () => {
    const buckets = recorded.ofType("gcp:storage/bucket:Bucket");
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.inputs).toMatchObject({
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        encryption: { defaultKmsKeyName: KEY },
        versioning: { enabled: true },
      });
    }
  });

  it("moves archived objects to Nearline, then Coldline, and deletes them no sooner than a year", () => {
    const archive = recorded
      .ofType("gcp:storage/bucket:Bucket")
      .find((b) => b.inputs.name.startsWith("sms-archive"));
    const rules = archive?.inputs.lifecycleRules as {
      action: { type: string; storageClass?: string };
      condition: { age?: number };
    }[];
    expect(
      rules
        .filter((r) => r.action.type === "SetStorageClass")
        .map((r) => [r.action.storageClass, r.condition.age]),
    ).toEqual([
      ["NEARLINE", 30],
      ["COLDLINE", 90],
    ]);
    const expiry = rules.find((r) => r.action.type === "Delete" && r.condition.age !== undefined);
    expect(expiry?.condition.age).toBeGreaterThanOrEqual(365);
  });

  it("exposes the archive to SQL as a BigQuery external Parquet table partitioned on dt", () => {
    const table = recorded.one("gcp:bigquery/table:Table");
    const bucket = outputs.archiveBucket as string;
    expect(table.inputs.externalDataConfiguration).toMatchObject({
      sourceFormat: "PARQUET",
      sourceUris: [`gs://${bucket}/events/*`],
      autodetect: false,
      hivePartitioningOptions: { mode: "CUSTOM", sourceUriPrefix: `gs://${bucket}/events/{dt:STRING}` },
    });
    // What test/infra/archiveSchema.test.ts checks against real archive files.
    expect(JSON.parse(table.inputs.schema)).toEqual(bigQueryArchiveSchema());
    expect(recorded.one("gcp:bigquery/dataset:Dataset").inputs.defaultEncryptionConfiguration).toEqual({
      kmsKeyName: KEY,
    });
  });

  it("runs six Node.js 22 functions, each as its own service account, all but the webhook on internal ingress only", () => {
    const functions = recorded.ofType("gcp:cloudfunctionsv2/function:Function");
    expect(functions.map((f) => [f.inputs.name, f.inputs.buildConfig.entryPoint]).sort()).toEqual([
      ["sms-campaigns-gcp-analytics", "analytics"],
      ["sms-campaigns-gcp-archive", "archive"],
      ["sms-campaigns-gcp-enrollment", "enrollment"],
      ["sms-campaigns-gcp-responses", "responses"],
      ["sms-campaigns-gcp-ticker", "ticker"],
      ["sms-campaigns-gcp-webhook", "twilioWebhook"],
    ]);
    for (const fn of functions) expect(fn.inputs.buildConfig.runtime).toBe("nodejs22");
    const accounts = new Set(functions.map((f) => f.inputs.serviceConfig.serviceAccountEmail));
    expect(accounts.size).toBe(6);
    for (const fn of functions.filter((f) => !f.inputs.name.endsWith("webhook")))
      expect(fn.inputs.serviceConfig.ingressSettings).toBe("ALLOW_INTERNAL_ONLY");
  });

  it("keeps the Twilio auth token in Secret Manager (CMEK) and hands it to functions only as a secret variable", () => {
    const secret = secretNamed("sms-campaigns-gcp-twilio-auth-token");
    expect(secret.inputs.replication.userManaged.replicas[0].customerManagedEncryption.kmsKeyName).toBe(KEY);
    const functions = recorded.ofType("gcp:cloudfunctionsv2/function:Function");
    for (const fn of functions) {
      expect(JSON.stringify(fn.inputs.serviceConfig.environmentVariables ?? {})).not.toContain(
        "secret-token",
      );
    }
    const webhook = functions.find((f) => f.inputs.name.endsWith("webhook"));
    expect(webhook?.inputs.serviceConfig.secretEnvironmentVariables).toEqual([
      {
        key: "TWILIO_AUTH_TOKEN",
        projectId: PROJECT,
        secret: "sms-campaigns-gcp-twilio-auth-token",
        version: "latest",
      },
    ]);
    expect(
      recorded
        .ofType("gcp:secretmanager/secretVersion:SecretVersion")
        .filter((v) => v.inputs.secret === secret.outputs.id),
    ).toHaveLength(1);
  });

  it("lets each function read its secrets before the function is created (the function depends on the grants)", () => {
    const grants = recorded.ofType("gcp:secretmanager/secretIamMember:SecretIamMember");
    const functions = recorded.ofType("gcp:cloudfunctionsv2/function:Function");
    const readers = functions.filter((f) => (f.inputs.serviceConfig.secretEnvironmentVariables ?? []).length);
    expect(readers.map((f) => f.inputs.name).sort()).toEqual([
      "sms-campaigns-gcp-archive",
      "sms-campaigns-gcp-enrollment",
      "sms-campaigns-gcp-responses",
      "sms-campaigns-gcp-ticker",
      "sms-campaigns-gcp-webhook",
    ]);
    for (const fn of readers) {
      const member = `serviceAccount:${fn.inputs.serviceConfig.serviceAccountEmail}`;
      for (const variable of fn.inputs.serviceConfig.secretEnvironmentVariables) {
        const secretId = `projects/${PROJECT}/secrets/${variable.secret}`;
        const grant = grants.find((g) => g.inputs.member === member && g.inputs.secretId === secretId);
        expect(grant, `${fn.inputs.name} reads ${variable.key}`).toBeDefined();
        expect(grant?.inputs.role).toBe("roles/secretmanager.secretAccessor");
        // Registered after the grant answered (see registrations above).
        expect(
          registrations.indexOf(`done ${grant?.name}`),
          `${fn.inputs.name} waits for its ${variable.key} grant`,
        ).toBeLessThan(registrations.indexOf(`start ${fn.name}`));
      }
    }
  });

  it("grants each function only what it touches, on the resource itself", () => {
    const webhookSa = "serviceAccount:sms-webhook@sms-test-project.iam.gserviceaccount.com";
    const topicGrants = membersOf("gcp:pubsub/topicIAMMember:TopicIAMMember");
    expect(topicGrants).toContainEqual({
      topic: `projects/${PROJECT}/topics/sms-events-stream`,
      role: "roles/pubsub.publisher",
      member: webhookSa,
    });
    expect(topicGrants).toContainEqual({
      topic: `projects/${PROJECT}/topics/sms-response-notifications`,
      role: "roles/pubsub.publisher",
      member: "serviceAccount:sms-responses@sms-test-project.iam.gserviceaccount.com",
    });
    const bucketGrants = membersOf("gcp:storage/bucketIAMMember:BucketIAMMember").sort((a, b) =>
      a.bucket.localeCompare(b.bucket),
    );
    expect(bucketGrants).toEqual([
      {
        bucket: outputs.archiveBucket,
        role: "roles/storage.objectUser",
        member: "serviceAccount:sms-archive@sms-test-project.iam.gserviceaccount.com",
      },
      {
        bucket: outputs.audienceBucket,
        role: "roles/storage.objectViewer",
        member: "serviceAccount:sms-enrollment@sms-test-project.iam.gserviceaccount.com",
      },
    ]);
    // The only project-level bindings: Firestore (project-wide by design) narrowed to this database;
    // every consumer reads and writes (analytics and archive park receipts; Firestore IAM has no
    // collection scope).
    const projectGrants = membersOf("gcp:projects/iAMMember:IAMMember");
    const condition = {
      expression: `resource.name.startsWith("projects/${PROJECT}/databases/sms-campaigns-gcp")`,
    };
    expect(projectGrants.map((g) => [g.member, g.role]).sort()).toEqual([
      ["serviceAccount:sms-analytics@sms-test-project.iam.gserviceaccount.com", "roles/datastore.user"],
      ["serviceAccount:sms-archive@sms-test-project.iam.gserviceaccount.com", "roles/datastore.user"],
      ["serviceAccount:sms-enrollment@sms-test-project.iam.gserviceaccount.com", "roles/datastore.user"],
      ["serviceAccount:sms-responses@sms-test-project.iam.gserviceaccount.com", "roles/datastore.user"],
      ["serviceAccount:sms-ticker@sms-test-project.iam.gserviceaccount.com", "roles/datastore.user"],
    ]);
    for (const grant of projectGrants) expect(grant).toMatchObject({ condition });
    for (const grant of recorded.resources.filter((r) => r.type.includes("IAM") || r.type.includes("Iam"))) {
      expect(grant.inputs.role).not.toMatch(/^roles\/(owner|editor|viewer)$/);
    }
  });

  it("lets each pusher invoke only its own consumer, and everyone reach only the signature-checking webhook", () => {
    const invokers = membersOf("gcp:cloudrunv2/serviceIamMember:ServiceIamMember");
    expect(invokers.map((i) => [i.name, i.member]).sort()).toEqual([
      [
        "sms-campaigns-gcp-analytics",
        "serviceAccount:sms-analytics-push@sms-test-project.iam.gserviceaccount.com",
      ],
      [
        "sms-campaigns-gcp-archive",
        "serviceAccount:sms-archive-push@sms-test-project.iam.gserviceaccount.com",
      ],
      [
        "sms-campaigns-gcp-enrollment",
        "serviceAccount:sms-enrollment-push@sms-test-project.iam.gserviceaccount.com",
      ],
      [
        "sms-campaigns-gcp-responses",
        "serviceAccount:sms-responses-push@sms-test-project.iam.gserviceaccount.com",
      ],
      [
        "sms-campaigns-gcp-ticker",
        "serviceAccount:sms-ticker-sched@sms-test-project.iam.gserviceaccount.com",
      ],
      ["sms-campaigns-gcp-webhook", "allUsers"],
    ]);
  });

  it("alerts on delivery rate < 95 %, opt-out rate > 5 %, oldest unacked message > 60 s and dead letters", () => {
    const alerts = recorded.ofType("gcp:monitoring/alertPolicy:AlertPolicy").map((a) => a.inputs);
    const threshold = (text: string) =>
      alerts.find((a) => a.conditions[0].conditionThreshold.filter.includes(text))?.conditions[0]
        .conditionThreshold;
    expect(threshold("SmsCampaigns/DeliveryRate")).toMatchObject({
      comparison: "COMPARISON_LT",
      thresholdValue: 95,
    });
    expect(threshold("SmsCampaigns/OptOutRate")).toMatchObject({
      comparison: "COMPARISON_GT",
      thresholdValue: 5,
    });
    const backlog = alerts.filter((a) =>
      a.conditions[0].conditionThreshold.filter.includes("oldest_unacked_message_age"),
    );
    expect(backlog).toHaveLength(4);
    for (const alert of backlog)
      expect(alert.conditions[0].conditionThreshold).toMatchObject({
        comparison: "COMPARISON_GT",
        thresholdValue: 60,
      });
    expect(threshold("num_undelivered_messages")?.filter).toContain("sms-events-dlq-holding");
    const channels = recorded
      .ofType("gcp:monitoring/notificationChannel:NotificationChannel")
      .map((c) => c.inputs.type);
    expect(channels.sort()).toEqual(["email", "pubsub"]);
    for (const alert of alerts) expect(alert.notificationChannels).toHaveLength(2);
  });

  it("raises the revocation SLA alert on an injected breach: it watches exactly the datum the monitor emits", async () => {
    const { datum, failed } = await injectRevocationBreach();
    expect(failed).toEqual(["no_send_after"]);
    // The log sink writes the datum's stack-wide line (scope "stack", no other labels) under the namespace.
    const metric = membersOf("gcp:logging/metric:Metric").find(
      (m) => m.name === `SmsCampaigns/${datum.name}`,
    );
    expect(metric?.filter).toBe(
      `jsonPayload.metricNamespace="SmsCampaigns" AND jsonPayload.metric="${datum.name}"`,
    );
    expect(metric?.valueExtractor).toBe("EXTRACT(jsonPayload.value)");
    const alerts = recorded
      .ofType("gcp:monitoring/alertPolicy:AlertPolicy")
      .map((a) => a.inputs)
      .filter((a) => a.conditions[0].conditionThreshold.filter.includes(`/SmsCampaigns/${datum.name}"`));
    expect(alerts).toHaveLength(1);
    const condition = alerts[0]?.conditions[0].conditionThreshold;
    expect(condition).toMatchObject({ comparison: "COMPARISON_GT", thresholdValue: 0 });
    expect(condition.filter).toContain('metric.label.scope="stack"');
    expect(datum.dimensions).toEqual({});
    expect(datum.value).toBeGreaterThan(condition.thresholdValue);
    expect(alerts[0]?.notificationChannels).toHaveLength(2);
  });

  it("defines a log-based metric for every core metric and the revocation SLA, labelled by campaign and scope", () => {
    const metrics = membersOf("gcp:logging/metric:Metric");
    expect(metrics.map((m) => m.name).sort()).toEqual(
      [...Object.values(METRIC), REVOCATION_SLA_METRIC].map((m) => `SmsCampaigns/${m}`).sort(),
    );
    for (const metric of metrics)
      expect(Object.keys(metric.labelExtractors).sort()).toEqual(["campaignId", "scope"]);
  });

  it("exports the topic, subscriptions, database, bucket, table, webhook URL and function names", () => {
    expect(outputs).toMatchObject({
      eventsTopic: "sms-events-stream",
      deadLetterTopic: "sms-events-dlq",
      firestoreDatabase: "sms-campaigns-gcp",
      bigQueryTable: "sms_campaigns_gcp.sms_events",
      twilioWebhookUrl: "https://sms-campaigns-gcp-webhook-abc123-ew.a.run.app",
      functionNames: { webhook: "sms-campaigns-gcp-webhook", responses: "sms-campaigns-gcp-responses" },
      // smsctl compliance report --outputs shows due times with the window the ticker judges by.
      cloud: "gcp",
      revocationSlaMinutes: 5,
    });
  });
  it("gives `smsctl review --stack` its collections, the responses function's Twilio settings and the auth token's secret (its id, never its value)", () => {
    const review = parseGcpReviewOutputs(outputs);
    expect(review.collections).toMatchObject({
      optOutReviews: "sms-opt-out-reviews",
      consentLog: "sms-consent-log",
      revocations: "sms-revocation-clocks",
    });
    const responses = recorded
      .ofType("gcp:cloudfunctionsv2/function:Function")
      .find((f) => f.inputs.name === "sms-campaigns-gcp-responses")!.inputs.serviceConfig;
    const env = responses.environmentVariables;
    expect(review.replySender).toEqual({
      stopConfirmationText: env[ENV.stopConfirmationText],
      twilioAccountSid: config.twilioAccountSid,
      twilioMessagingServiceSid: config.twilioMessagingServiceSid,
      twilioStatusCallbackUrl: env[ENV.twilioStatusCallbackUrl],
      twilioAuthTokenSecret: outputs.twilioAuthTokenSecret,
    });
    // The secret the function reads its token from is the one the command reads.
    expect(responses.secretEnvironmentVariables).toContainEqual(
      expect.objectContaining({ key: ENV.twilioAuthToken, secret: review.replySender.twilioAuthTokenSecret }),
    );
    expect(JSON.stringify(outputs)).not.toContain(config.twilioAuthToken);
  });
  it("gives the analytics function all its circuit breaker needs: the handler's own settings read the stack's breaker, campaigns collection and topic", () => {
    const deployed = recorded
      .ofType("gcp:cloudfunctionsv2/function:Function")
      .find((f) => f.inputs.name === "sms-campaigns-gcp-analytics")!.inputs
      .serviceConfig.environmentVariables;
    const env = parseEnv(AnalyticsEnvSchema, deployed);
    expect(activeBreaker(env[ENV.circuitBreaker])).toEqual(DEFAULT_CIRCUIT_BREAKER);
    expect(env[ENV.campaignsCollection]).toBe("sms-campaigns");
    expect(env[ENV.notificationTopic]).toEqual(expect.any(String));
  });
});

describe("launched campaigns on the GCP stack (ticker, enrollment, audience bucket)", () => {
  const fnNamed = (name: string) =>
    recorded.ofType("gcp:cloudfunctionsv2/function:Function").find((f) => f.inputs.name === name)!;
  const envOf = (name: string) => fnNamed(name).inputs.serviceConfig.environmentVariables;
  const ENROLLMENT_SA = "serviceAccount:sms-enrollment@sms-test-project.iam.gserviceaccount.com";
  const TICKER_SA = "serviceAccount:sms-ticker@sms-test-project.iam.gserviceaccount.com";

  it("runs the ticker as one instance serving one request, on Cloud Scheduler every minute with bounded retries", () => {
    const ticker = fnNamed("sms-campaigns-gcp-ticker");
    expect(ticker.inputs.serviceConfig).toMatchObject({
      maxInstanceCount: 1,
      maxInstanceRequestConcurrency: 1,
      ingressSettings: "ALLOW_INTERNAL_ONLY",
      timeoutSeconds: 120,
    });
    const job = recorded.one("gcp:cloudscheduler/job:Job").inputs;
    expect(job).toEqual({
      name: "sms-campaigns-gcp-journey-tick",
      region: "europe-west1",
      description: "Wakes the journey ticker",
      schedule: "* * * * *",
      timeZone: "Etc/UTC",
      attemptDeadline: "120s",
      retryConfig: {
        retryCount: 2,
        maxRetryDuration: "60s",
        minBackoffDuration: "5s",
        maxBackoffDuration: "30s",
        maxDoublings: 2,
      },
      httpTarget: {
        uri: "https://sms-campaigns-gcp-ticker-abc123-ew.a.run.app",
        httpMethod: "POST",
        oidcToken: {
          serviceAccountEmail: "sms-ticker-sched@sms-test-project.iam.gserviceaccount.com",
          audience: "https://sms-campaigns-gcp-ticker-abc123-ew.a.run.app",
        },
      },
    });
    expect(envOf("sms-campaigns-gcp-ticker")).toMatchObject({
      TICK_MPS: "1",
      TICK_INTERVAL_SECONDS: "60",
      SEND_WINDOW_START_HOUR: "8",
      SEND_WINDOW_END_HOUR: "21",
      CAMPAIGNS_COLLECTION: "sms-campaigns",
      JOURNEYS_COLLECTION: "sms-journeys",
      EVENTS_TOPIC: "sms-events-stream",
      // Read before each send: a number held for review gets nothing.
      OPT_OUT_REVIEWS_COLLECTION: "sms-opt-out-reviews",
      // The revocation SLA monitor runs after each tick.
      REVOCATION_CLOCKS_COLLECTION: "sms-revocation-clocks",
      MESSAGE_LOG_COLLECTION: "sms-message-log",
      REVOCATION_SLA_MINUTES: "5",
    });
    expect(envOf("sms-campaigns-gcp-responses")).toMatchObject({
      REVOCATION_CLOCKS_COLLECTION: "sms-revocation-clocks",
    });
    expect(envOf("sms-campaigns-gcp-ticker")).not.toHaveProperty("TICK_BUDGET_USD");
  });

  it("keeps audiences in a private CMEK bucket that deletes them after the retention, and notifies uploads under campaigns/", () => {
    const bucket = recorded
      .ofType("gcp:storage/bucket:Bucket")
      .find((b) => b.inputs.name.startsWith("sms-campaigns-gcp-audience"))!;
    expect(bucket.inputs).toMatchObject({
      name: "sms-campaigns-gcp-audience-sms-test-project",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      encryption: { defaultKmsKeyName: KEY },
      lifecycleRules: [
        { action: { type: "Delete" }, condition: { age: 30 } },
        { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 7, withState: "ARCHIVED" } },
      ],
    });
    expect(recorded.one("gcp:storage/notification:Notification").inputs).toEqual({
      bucket: "sms-campaigns-gcp-audience-sms-test-project",
      topic: `projects/${PROJECT}/topics/sms-campaigns-gcp-enrollment`,
      payloadFormat: "JSON_API_V1",
      eventTypes: ["OBJECT_FINALIZE"],
      objectNamePrefix: "campaigns/",
    });
    expect(topicNamed("sms-campaigns-gcp-enrollment")?.inputs.kmsKeyName).toBe(KEY);
    expect(membersOf("gcp:pubsub/topicIAMMember:TopicIAMMember")).toContainEqual({
      topic: `projects/${PROJECT}/topics/sms-campaigns-gcp-enrollment`,
      role: "roles/pubsub.publisher",
      member: `serviceAccount:service-${PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com`,
    });
  });

  it("enrolls one chunk at a time from its own push subscription, dead-lettered after bounded attempts", () => {
    expect(fnNamed("sms-campaigns-gcp-enrollment").inputs.serviceConfig).toMatchObject({
      maxInstanceCount: 1,
      maxInstanceRequestConcurrency: 1,
      timeoutSeconds: 300,
    });
    expect(envOf("sms-campaigns-gcp-enrollment")).toMatchObject({
      AUDIENCE_BUCKET: "sms-campaigns-gcp-audience-sms-test-project",
      ENROLLMENT_TOPIC: "sms-campaigns-gcp-enrollment",
      ENROLLMENT_CHUNK_ROWS: "1000",
      CAMPAIGNS_COLLECTION: "sms-campaigns",
    });
    const subscription = recorded
      .ofType("gcp:pubsub/subscription:Subscription")
      .find((s) => s.inputs.name === "sms-campaigns-gcp-enrollment")!;
    expect(subscription.inputs).toMatchObject({
      topic: `projects/${PROJECT}/topics/sms-campaigns-gcp-enrollment`,
      ackDeadlineSeconds: 300,
      retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
      deadLetterPolicy: {
        deadLetterTopic: `projects/${PROJECT}/topics/sms-events-dlq`,
        maxDeliveryAttempts: 5,
      },
      pushConfig: {
        pushEndpoint: `https://sms-campaigns-gcp-enrollment-abc123-ew.a.run.app/projects/${PROJECT}/topics/sms-campaigns-gcp-enrollment`,
      },
    });
  });

  it("grants the ticker and enrollment only what they touch", () => {
    const topicGrants = membersOf("gcp:pubsub/topicIAMMember:TopicIAMMember");
    const topicsOf = (member: string) =>
      topicGrants
        .filter((g) => g.member === member)
        .map((g) => g.topic)
        .sort();
    expect(topicsOf(TICKER_SA)).toEqual([`projects/${PROJECT}/topics/sms-events-stream`]);
    expect(topicsOf(ENROLLMENT_SA)).toEqual([
      `projects/${PROJECT}/topics/sms-campaigns-gcp-enrollment`,
      `projects/${PROJECT}/topics/sms-events-dlq`,
    ]);
    // The Twilio token: the ticker sends, enrollment never does.
    const tokenId = secretNamed("sms-campaigns-gcp-twilio-auth-token").outputs.id;
    const secretGrants = membersOf("gcp:secretmanager/secretIamMember:SecretIamMember")
      .filter((g) => g.secretId === tokenId)
      .map((g) => g.member);
    expect(secretGrants).toContain(TICKER_SA);
    expect(secretGrants).not.toContain(ENROLLMENT_SA);
    expect(envOf("sms-campaigns-gcp-responses")).toMatchObject({
      JOURNEYS_COLLECTION: "sms-journeys",
      SUBSCRIBERS_COLLECTION: "sms-subscribers",
      CAMPAIGNS_COLLECTION: "sms-campaigns",
      OPT_OUT_REVIEWS_COLLECTION: "sms-opt-out-reviews",
    });
    expect(JSON.parse(envOf("sms-campaigns-gcp-responses").OPT_OUT_THRESHOLDS)).toEqual({
      optOut: 0.95,
      review: 0.5,
    });
  });

  it("names the consent evidence collection to the responses function alone (its TTL-less collection has no TTL field)", () => {
    const naming = recorded
      .ofType("gcp:cloudfunctionsv2/function:Function")
      .filter((f) => f.inputs.serviceConfig.environmentVariables?.CONSENT_LOG_COLLECTION !== undefined)
      .map((f) => f.inputs.name);
    expect(naming).toEqual(["sms-campaigns-gcp-responses"]);
    expect(envOf("sms-campaigns-gcp-responses").CONSENT_LOG_COLLECTION).toBe("sms-consent-log");
  });

  it("exports what connectGcpStack reads, under the shared names", () => {
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining([...CAMPAIGN_STACK_OUTPUTS]));
    expect(parseGcpStackOutputs(outputs)).toEqual({
      project: PROJECT,
      region: "europe-west1",
      firestoreDatabase: "sms-campaigns-gcp",
      campaignsCollection: "sms-campaigns",
      audienceBucket: "sms-campaigns-gcp-audience-sms-test-project",
    });
  });

  it("names the revocation clocks collection `smsctl compliance report --stack` lists", () => {
    expect(outputs[REVOCATION_CLOCKS_OUTPUT]).toBe("sms-revocation-clocks");
  });
});

describe("the GCP stack's campaign config", () => {
  it("derives the schedule, timeout and allowance interval from one tick rate", () => {
    expect(tickScheduleOf(1)).toBe("* * * * *");
    expect(tickScheduleOf(5)).toBe("*/5 * * * *");
    expect(tickTimeoutSecondsOf(5)).toBe(360);
  });

  it("rejects a tick rate that does not divide the hour, a zero MPS and an inverted send window, naming the key", () => {
    expect(() => parseGcpStackConfig({ tickIntervalMinutes: 7 })).toThrow(
      'config key "sms-campaigns:tickIntervalMinutes": must be one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20',
    );
    expect(() => parseGcpStackConfig({ tickMps: "0" })).toThrow('"sms-campaigns:tickMps"');
    expect(() => parseGcpStackConfig({ sendWindow: { startHour: 22, endHour: 21 } })).toThrow(
      '"sms-campaigns:sendWindow.startHour": startHour must be before endHour',
    );
    expect(() => parseGcpStackConfig({ enrollmentChunkRows: 0 })).toThrow(
      '"sms-campaigns:enrollmentChunkRows"',
    );
    expect(() => parseGcpStackConfig({ tickBudgetUsd: -1 })).toThrow('"sms-campaigns:tickBudgetUsd"');
  });
});

describe("the GCP stack config", () => {
  it("rejects an archive deleted before a year and names the key", () => {
    expect(() => parseGcpStackConfig({ archiveDeleteAfterDays: 100 })).toThrow(
      'config key "sms-campaigns:archiveDeleteAfterDays": must be an integer between 365 and 36500',
    );
  });

  it("rejects fewer than five delivery attempts (Pub/Sub's minimum for dead-lettering)", () => {
    expect(() => parseGcpStackConfig({ maxDeliveryAttempts: "3" })).toThrow("maxDeliveryAttempts");
  });

  it("rejects a Twilio SID of the wrong kind and an unknown key", () => {
    expect(() => parseGcpStackConfig({ twilioAccountSid: `MG${"a".repeat(32)}` })).toThrow(
      "twilioAccountSid",
    );
    expect(() => parseGcpStackConfig({ shardCount: 2 })).toThrow("unknown key");
  });

  it("accepts the committed Pulumi.gcp.yaml values with defaults for the rest", () => {
    const config = parseGcpStackConfig({ streamRetentionHours: "744", batchSize: "100" });
    expect(config).toMatchObject({
      maxDeliveryAttempts: 5,
      archiveDeleteAfterDays: 730,
      bigQueryTable: true,
    });
  });
});

describe("Pulumi.gcp.yaml", () => {
  it("passes the GCP stack schema", async () => {
    const { readFileSync } = await import("node:fs");
    const { parse } = await import("yaml");
    const { config } = parse(readFileSync("Pulumi.gcp.yaml", "utf8")) as { config: Record<string, unknown> };
    const raw = Object.fromEntries(
      Object.entries(config)
        .filter(([key]) => key.startsWith("sms-campaigns:"))
        .map(([key, value]) => [key.slice("sms-campaigns:".length), value]),
    );
    expect(parseGcpStackConfig(raw)).toMatchObject({
      streamRetentionHours: 744,
      tickIntervalMinutes: 1,
      tickMps: 1,
      sendWindow: { startHour: 8, endHour: 21 },
      enrollmentChunkRows: 1000,
    });
  });
});
