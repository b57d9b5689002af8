import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { GCP_RESOURCE_POLICIES, GCP_STACK_POLICIES } from "../../policy/gcp";
import { gcpAlertsPresent } from "../../policy/gcpAlerts";
import { gcpFirestoreEncryptedWithRecovery, gcpFirestoreTtl } from "../../policy/gcpFirestore";
import { gcpIamScope } from "../../policy/gcpIam";
import { gcpSubscriptionsDeadLetter, gcpTopicsEncrypted } from "../../policy/gcpPubsub";
import { gcpScheduledFunctionsSingleInstance, gcpSchedulerJobsBounded } from "../../policy/gcpScheduler";
import { gcpBucketsPrivateAndEncrypted } from "../../policy/gcpStorage";
import { RESOURCE_POLICIES, STACK_POLICIES } from "../../policy/rules";
import { fakeResource, runPack, runResourcePolicy, runStackPolicy } from "../policy/harness";
import { deployGcpPipeline, gcpRecorder } from "./gcpHarness";
import { type RecordedResource, type Recorder, settled } from "./harness";

const recorded: Recorder = gcpRecorder();

beforeAll(async () => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "gcp", false);
  deployGcpPipeline({ notificationEmail: "ops@example.com" });
  await settled(recorded);
});

// biome-ignore lint/suspicious/noExplicitAny: test mutations of untyped JSON
type Props = Record<string, any>;
const mutated = (resource: RecordedResource, change: (props: Props) => void): RecordedResource => {
  const copy = structuredClone(resource);
  change(copy.inputs);
  change(copy.outputs);
  return copy;
};
const messages = async (policy: Parameters<typeof runResourcePolicy>[0], resource: RecordedResource) =>
  (await runResourcePolicy(policy, resource)).violations.map((v) => v.message);
const stackMessages = async (policy: Parameters<typeof runStackPolicy>[0], resources: RecordedResource[]) =>
  (await runStackPolicy(policy, resources)).violations.map((v) => v.message);
const replaced = (original: RecordedResource, replacement: RecordedResource) =>
  recorded.resources.map((r) => (r === original ? replacement : r));
const without = (drop: (r: RecordedResource) => boolean) => recorded.resources.filter((r) => !drop(r));

describe("the policy pack on the GCP stack", () => {
  it("finds no violation of any rule, GCP or otherwise, anywhere in the stack", async () => {
    expect(recorded.resources.length).toBeGreaterThan(50);
    expect(await runPack(RESOURCE_POLICIES, STACK_POLICIES, recorded.resources)).toEqual([]);
  });

  it("registers every GCP rule in the pack, mandatory", () => {
    for (const policy of GCP_RESOURCE_POLICIES) expect(RESOURCE_POLICIES).toContain(policy);
    for (const policy of GCP_STACK_POLICIES) expect(STACK_POLICIES).toContain(policy);
    for (const policy of [...GCP_RESOURCE_POLICIES, ...GCP_STACK_POLICIES])
      expect(policy.enforcementLevel).toBe("mandatory");
  });
});

describe("GCP policy rules, each on a failing case", () => {
  const bucket = () => recorded.ofType("gcp:storage/bucket:Bucket")[0];

  it("rejects a bucket without public access prevention, uniform access or a CMEK key", async () => {
    expect(
      await messages(
        gcpBucketsPrivateAndEncrypted,
        mutated(bucket(), (p) => {
          p.publicAccessPrevention = "inherited";
          p.uniformBucketLevelAccess = false;
          delete p.encryption;
        }),
      ),
    ).toEqual([
      expect.stringContaining('publicAccessPrevention to "enforced"'),
      expect.stringContaining("uniform bucket-level access"),
      expect.stringContaining("customer-managed key"),
    ]);
  });

  it("rejects a Firestore database without CMEK or point-in-time recovery", async () => {
    const database = recorded.one("gcp:firestore/database:Database");
    expect(
      await messages(
        gcpFirestoreEncryptedWithRecovery,
        mutated(database, (p) => {
          delete p.cmekConfig;
          p.pointInTimeRecoveryEnablement = "POINT_IN_TIME_RECOVERY_DISABLED";
        }),
      ),
    ).toHaveLength(2);
  });

  it("rejects a stack whose reply collection has no TTL policy", async () => {
    const resources = without(
      (r) => r.type === "gcp:firestore/field:Field" && r.inputs.collection === "sms-responses",
    );
    expect(await stackMessages(gcpFirestoreTtl, resources)).toEqual([
      'no Firestore TTL policy on a collection matching "responses"',
    ]);
  });

  it("rejects a topic without a CMEK key", async () => {
    const topic = recorded.ofType("gcp:pubsub/topic:Topic")[0];
    expect(
      await messages(
        gcpTopicsEncrypted,
        mutated(topic, (p) => delete p.kmsKeyName),
      ),
    ).toHaveLength(1);
  });

  it("rejects a consuming subscription without a dead-letter topic, with unbounded attempts or without backoff", async () => {
    const subscription = recorded
      .ofType("gcp:pubsub/subscription:Subscription")
      .find((s) => s.inputs.pushConfig)!;
    const noDeadLetter = mutated(subscription, (p) => delete p.deadLetterPolicy);
    expect(await stackMessages(gcpSubscriptionsDeadLetter, replaced(subscription, noDeadLetter))).toEqual([
      expect.stringContaining("has no dead-letter topic"),
    ]);
    const loose = mutated(subscription, (p) => {
      p.deadLetterPolicy.maxDeliveryAttempts = 100;
      delete p.retryPolicy;
    });
    expect(await stackMessages(gcpSubscriptionsDeadLetter, replaced(subscription, loose))).toEqual([
      expect.stringContaining("at most 20"),
      expect.stringContaining("no retry policy"),
    ]);
  });

  it("rejects basic roles, unconditioned project-level grants and public members outside the webhook invoker", async () => {
    const projectGrant = recorded.one("gcp:projects/iAMMember:IAMMember", "responses-firestore");
    expect(
      await messages(
        gcpIamScope,
        mutated(projectGrant, (p) => {
          p.role = "roles/editor";
          delete p.condition;
        }),
      ),
    ).toEqual([
      expect.stringContaining("basic role roles/editor"),
      expect.stringContaining("needs a condition"),
    ]);
    const bucketGrant = recorded.ofType("gcp:storage/bucketIAMMember:BucketIAMMember")[0];
    expect(
      await messages(
        gcpIamScope,
        mutated(bucketGrant, (p) => (p.member = "allUsers")),
      ),
    ).toEqual([expect.stringContaining("allUsers may not be granted")]);
    const invoker = recorded
      .ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember")
      .find((i) => i.inputs.member === "allUsers")!;
    expect(await messages(gcpIamScope, invoker)).toEqual([]);
    expect(
      await messages(
        gcpIamScope,
        mutated(invoker, (p) => (p.role = "roles/run.developer")),
      ),
    ).toHaveLength(1);
    expect(
      await messages(
        gcpIamScope,
        fakeResource("gcp:projects/iAMPolicy:IAMPolicy", "whole", { policyData: "{}" }),
      ),
    ).toEqual(["do not manage the whole project IAM policy from this stack"]);
  });

  it("rejects a stack missing the opt-out alert, the revocation SLA alert or a subscription's backlog alert, or with a silent alert", async () => {
    const optOut = recorded
      .ofType("gcp:monitoring/alertPolicy:AlertPolicy")
      .find((a) => a.inputs.conditions[0].conditionThreshold.filter.includes("/OptOutRate"))!;
    expect(
      await stackMessages(
        gcpAlertsPresent,
        without((r) => r === optOut),
      ),
    ).toEqual(["no alert policy on the campaign metric OptOutRate"]);
    const revocationSla = recorded
      .ofType("gcp:monitoring/alertPolicy:AlertPolicy")
      .find((a) => a.inputs.conditions[0].conditionThreshold.filter.includes("/RevocationSlaBreaches"))!;
    expect(
      await stackMessages(
        gcpAlertsPresent,
        without((r) => r === revocationSla),
      ),
    ).toEqual(["no alert policy on the compliance metric RevocationSlaBreaches"]);
    const backlog = recorded
      .ofType("gcp:monitoring/alertPolicy:AlertPolicy")
      .find((a) => a.inputs.conditions[0].conditionThreshold.filter.includes("sms-events-stream-archive"))!;
    expect(
      await stackMessages(
        gcpAlertsPresent,
        without((r) => r === backlog),
      ),
    ).toEqual(['subscription "sms-events-stream-archive" has no oldest-unacked-message-age alert']);
    const silent = mutated(optOut, (p) => (p.notificationChannels = []));
    expect(await stackMessages(gcpAlertsPresent, replaced(optOut, silent))).toEqual([
      expect.stringContaining("notifies no channel"),
    ]);
  });

  it("rejects a scheduler job with unbounded retries, no attempt deadline or an unauthenticated target", async () => {
    const job = recorded.one("gcp:cloudscheduler/job:Job");
    expect(await messages(gcpSchedulerJobsBounded, job)).toEqual([]);
    expect(
      await messages(
        gcpSchedulerJobsBounded,
        mutated(job, (p) => {
          p.retryConfig = { retryCount: 50 };
          delete p.attemptDeadline;
          delete p.httpTarget.oidcToken;
        }),
      ),
    ).toEqual([
      expect.stringContaining("retryCount to at most 5"),
      expect.stringContaining("maxRetryDuration"),
      expect.stringContaining("attemptDeadline"),
      expect.stringContaining("without an OIDC or OAuth token"),
    ]);
  });

  it("rejects a scheduled function (the ticker) that may run more than one instance or request at once", async () => {
    const ticker = recorded
      .ofType("gcp:cloudfunctionsv2/function:Function")
      .find((f) => f.inputs.name.endsWith("-ticker"))!;
    expect(await stackMessages(gcpScheduledFunctionsSingleInstance, recorded.resources)).toEqual([]);
    const scaled = mutated(ticker, (p) => {
      p.serviceConfig.maxInstanceCount = 3;
    });
    expect(await stackMessages(gcpScheduledFunctionsSingleInstance, replaced(ticker, scaled))).toEqual([
      expect.stringContaining(
        '"sms-campaigns-gcp-ticker" is run by Cloud Scheduler and must set maxInstanceCount 1',
      ),
    ]);
    const concurrent = mutated(ticker, (p) => {
      delete p.serviceConfig.maxInstanceRequestConcurrency;
    });
    expect(
      await stackMessages(gcpScheduledFunctionsSingleInstance, replaced(ticker, concurrent)),
    ).toHaveLength(1);
  });

  it("leaves other clouds' resources alone", async () => {
    const awsBucket = fakeResource("aws:s3/bucket:Bucket", "b", { bucket: "x" });
    for (const policy of GCP_RESOURCE_POLICIES)
      expect((await runResourcePolicy(policy, awsBucket)).notApplicable).toBe(true);
    for (const policy of GCP_STACK_POLICIES)
      expect((await runStackPolicy(policy, [awsBucket])).notApplicable).toBe(true);
  });
});
