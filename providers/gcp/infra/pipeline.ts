import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CampaignAudience } from "./campaignAudience";
import type { GcpStackConfig } from "./config";
import { tickScheduleOf, tickTimeoutSecondsOf, topicRetentionOf } from "./config";
import { ConsumerFunction, PUBSUB_PUBLISHER } from "./consumerFunction";
import { DataStore } from "./dataStore";
import { DeadLetterTopic } from "./deadLetterTopic";
import { EncryptionKey } from "./encryptionKey";
import {
  CAMPAIGN_STACK_OUTPUTS,
  type CampaignStackOutput,
  CONSUMER_NAMES,
  type ConsumerName,
  FUNCTION_ENV,
  FUNCTION_TARGETS,
  type FunctionEnvKey,
  type GcpFunctionName,
  REVOCATION_CLOCKS_OUTPUT,
} from "./environment";
import { EventArchive } from "./eventArchive";
import { EventTopic } from "./eventTopic";
import { hardenedBucket } from "./hardenedBucket";
import { Monitoring } from "./monitoring";
import { Notifications } from "./notifications";
import { projectContext } from "./projectContext";
import { stackSecret } from "./stackSecret";
import { TickerFunction } from "./tickerFunction";
import { SECRET_ACCESSOR, TwilioWebhook } from "./twilioWebhook";

export const GCP_PIPELINE_TYPE = "sms:gcp:Pipeline";

/** Firestore access is project-wide by role; a condition narrows it to this stack's database. */
export const FIRESTORE_USER = "roles/datastore.user";
/** Read-only Firestore access: analytics and archive read the message log. */
export const FIRESTORE_VIEWER = "roles/datastore.viewer";
/** Read, write, overwrite and list objects of one bucket (overwrites need delete). */
export const STORAGE_OBJECT_USER = "roles/storage.objectUser";
/** Read objects of one bucket: the enrollment function reads uploaded audiences. */
export const STORAGE_OBJECT_VIEWER = "roles/storage.objectViewer";

/** The validated stack config (see ./config), plus where the stack runs and each function's code. */
export interface GcpPipelineArgs extends GcpStackConfig {
  /** Names stack-scoped resources with no name in config (key ring, database, dataset, functions). */
  deploymentName: string;
  /** The region everything regional lives in (the provider's `gcp:region`). */
  region: string;
  /**
   * Each function's source: an archive with `package.json` and the bundled `index.js` registering
   * the target in FUNCTION_TARGETS with the Functions Framework.
   */
  code: Record<GcpFunctionName, pulumi.Input<pulumi.asset.Archive>>;
}

/** Lower-case letters, digits and underscores: what BigQuery dataset ids accept. */
export const datasetIdOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9_]/g, "_");

const DESCRIPTIONS: Record<GcpFunctionName, string> = {
  analytics: "Per-campaign delivery, response and opt-out metrics (log-based metrics)",
  responses: "Classifies replies, stores them, records opt-outs, answers HELP/STOP, notifies",
  archive: "Writes every event to Cloud Storage as date-partitioned Parquet",
  webhook: "Verifies Twilio webhooks and publishes them to the events topic",
  ticker: "The journey ticker: sends due journey steps within the configured MPS (one instance)",
  enrollment: "Enrolls an uploaded campaign audience into its journey, chunk by chunk",
};

/**
 * The GCP deployment: Twilio webhooks -> verifying HTTPS function -> Pub/Sub -> three push
 * consumers (Cloud Functions gen2: analytics, responses, archive) -> Firestore, Cloud Storage +
 * BigQuery, Pub/Sub notifications, Cloud Monitoring. Everything at rest uses one CMEK key.
 */
export class Pipeline extends pulumi.ComponentResource {
  public readonly key: EncryptionKey;
  public readonly topic: EventTopic;
  public readonly deadLetter: DeadLetterTopic;
  public readonly data: DataStore;
  public readonly archive: EventArchive;
  public readonly sourceBucket: gcp.storage.Bucket;
  public readonly notifications: Notifications;
  public readonly webhook: TwilioWebhook;
  public readonly consumers: Record<ConsumerName, ConsumerFunction>;
  public readonly monitoring: Monitoring;
  public readonly audience: CampaignAudience;
  public readonly enrollment: ConsumerFunction;
  public readonly ticker: TickerFunction;
  public readonly project: pulumi.Output<string>;
  public readonly region: string;
  /**
   * What the responses function confirms a STOP with, for `smsctl review accept --stack` (the
   * `replySender` output): its text, the Twilio settings, and the id of the auth token's secret.
   */
  public readonly replySender: Record<
    | "stopConfirmationText"
    | "twilioAccountSid"
    | "twilioMessagingServiceSid"
    | "twilioStatusCallbackUrl"
    | "twilioAuthTokenSecret",
    pulumi.Input<string>
  >;

  constructor(name: string, args: GcpPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GCP_PIPELINE_TYPE, name, {}, opts);
    const child = { parent: this };
    const { names, region, deploymentName } = args;
    const { project, agents } = projectContext(this);
    this.project = project;
    this.region = region;

    this.key = new EncryptionKey(
      `${name}-key`,
      {
        keyRingName: deploymentName,
        location: region,
        users: {
          pubsub: agents.pubsub,
          storage: agents.storage,
          firestore: agents.firestore,
          "secret-manager": agents.secretManager,
          bigquery: agents.bigQuery,
        },
      },
      child,
    );
    const kmsKeyName = this.key.keyId;
    // CMEK resources fail to create until their service agent may use the key.
    const afterKeyGrants = { parent: this, dependsOn: this.key.grants };
    const retention = topicRetentionOf(args.streamRetentionHours);

    this.topic = new EventTopic(
      `${name}-events`,
      { topicName: names.stream, kmsKeyName, retention, allowedRegions: [region] },
      afterKeyGrants,
    );
    this.deadLetter = new DeadLetterTopic(
      `${name}-dead-letter`,
      { topicName: names.deadLetterQueue, kmsKeyName, retention: topicRetentionOf(744) },
      afterKeyGrants,
    );
    new gcp.pubsub.TopicIAMMember(
      `${name}-agent-dead-letters`,
      { topic: this.deadLetter.topicId, role: PUBSUB_PUBLISHER, member: agents.pubsub },
      child,
    );
    this.data = new DataStore(
      `${name}-data`,
      {
        databaseName: deploymentName,
        location: region,
        kmsKeyName,
        collections: {
          responses: names.responsesTable,
          optOuts: names.optOutsTable,
          ledger: names.sendLedgerTable,
          journeys: names.journeysTable,
          messages: names.messageLogTable,
          subscribers: names.subscribersTable,
          campaigns: args.campaignsCollection,
          pendingReceipts: names.pendingReceiptsTable,
          optOutReviews: names.optOutReviewsTable,
          consentLog: names.consentLogTable,
          revocations: names.revocationClocksTable,
        },
      },
      afterKeyGrants,
    );
    this.archive = new EventArchive(
      `${name}-archive`,
      {
        bucketPrefix: names.archiveBucketPrefix,
        project,
        location: region,
        kmsKeyName,
        nearlineAfterDays: args.archiveNearlineAfterDays,
        coldlineAfterDays: args.archiveColdlineAfterDays,
        deleteAfterDays: args.archiveDeleteAfterDays,
        bigQuery: args.bigQueryTable,
        datasetId: datasetIdOf(deploymentName),
        tableId: "sms_events",
      },
      afterKeyGrants,
    );
    this.sourceBucket = hardenedBucket(
      `${name}-function-source`,
      { namePrefix: `${deploymentName}-src`, project, location: region, kmsKeyName },
      afterKeyGrants,
    );
    this.notifications = new Notifications(
      `${name}-notifications`,
      { notificationTopicName: names.notificationTopic, alarmTopicName: names.alarmTopic, kmsKeyName },
      afterKeyGrants,
    );

    const functionBase = (id: GcpFunctionName) => ({
      functionName: `${deploymentName}-${id}`,
      description: DESCRIPTIONS[id],
      region,
      project,
      entryPoint: FUNCTION_TARGETS[id],
      code: args.code[id],
      sourceBucket: this.sourceBucket.name,
      memoryMb: args.functionMemoryMb,
      timeoutSeconds: args.functionTimeoutSeconds,
      maxInstances: args.functionMaxInstances,
    });
    const collections = this.data.collections;
    const common: Partial<Record<FunctionEnvKey, pulumi.Input<string>>> = {
      project,
      deadLetterTopic: this.deadLetter.topicName,
      metricNamespace: names.metricNamespace,
      logLevel: args.logLevel,
    };
    const envOf = (values: Partial<Record<FunctionEnvKey, pulumi.Input<string>>>) =>
      Object.fromEntries(
        Object.entries({ ...common, ...values }).map(([key, value]) => [
          FUNCTION_ENV[key as FunctionEnvKey],
          value,
        ]),
      ) as Record<string, pulumi.Input<string>>;

    this.webhook = new TwilioWebhook(
      `${name}-webhook`,
      {
        ...functionBase("webhook"),
        secretName: `${deploymentName}-twilio-auth-token`,
        authToken: args.twilioAuthToken,
        kmsKeyName,
        eventsTopicId: this.topic.topicId,
        environment: envOf({ eventsTopic: this.topic.topicName }),
        dependsOn: this.key.grants,
      },
      child,
    );

    const databaseCondition = (id: string) => ({
      title: `only-${id}-database`,
      description: "Firestore roles are project-wide; this binding applies to one database",
      expression: pulumi.interpolate`resource.name.startsWith("projects/${project}/databases/${this.data.databaseName}")`,
    });
    // Analytics and archive complete phone-less receipts from the message log and park the ones it
    // does not know yet: Firestore IAM stops at the database, so parking needs the user role on it.
    const parksReceipts = (id: ConsumerName, member: pulumi.Output<string>, parent: pulumi.Resource) =>
      new gcp.projects.IAMMember(
        `${name}-${id}-firestore-parks`,
        { project, role: FIRESTORE_USER, member, condition: databaseCondition(id) },
        { parent },
      );
    const usesFirestore = (id: string, member: pulumi.Output<string>, parent: pulumi.Resource) =>
      new gcp.projects.IAMMember(
        `${name}-${id}-firestore`,
        { project, role: FIRESTORE_USER, member, condition: databaseCondition(id) },
        { parent },
      );
    const readsToken = (id: string, member: pulumi.Output<string>, parent: pulumi.Resource) =>
      new gcp.secretmanager.SecretIamMember(
        `${name}-${id}-reads-token`,
        { secretId: this.webhook.secret.id, role: SECRET_ACCESSOR, member },
        { parent },
      );
    const deadLetters = (id: string, member: pulumi.Output<string>, parent: pulumi.Resource) =>
      new gcp.pubsub.TopicIAMMember(
        `${name}-${id}-dead-letters`,
        { topic: this.deadLetter.topicId, role: PUBSUB_PUBLISHER, member },
        { parent },
      );
    const grants: Record<ConsumerName, (member: pulumi.Output<string>, parent: pulumi.Resource) => void> = {
      analytics: (member, parent) => {
        // Firestore read-write already (it parks receipts): the breaker's counters and pauses too.
        parksReceipts("analytics", member, parent);
        new gcp.pubsub.TopicIAMMember(
          `${name}-analytics-notifies`,
          { topic: this.notifications.notificationTopic.id, role: PUBSUB_PUBLISHER, member },
          { parent },
        );
      },
      responses: (member, parent) => {
        usesFirestore("responses", member, parent);
        new gcp.pubsub.TopicIAMMember(
          `${name}-responses-notifies`,
          { topic: this.notifications.notificationTopic.id, role: PUBSUB_PUBLISHER, member },
          { parent },
        );
      },
      archive: (member, parent) => {
        parksReceipts("archive", member, parent);
        new gcp.storage.BucketIAMMember(
          `${name}-archive-writes`,
          { bucket: this.archive.bucketName, role: STORAGE_OBJECT_USER, member },
          { parent },
        );
      },
    };
    // The phone hash's salt, in Secret Manager, reaches the functions that write a number:
    // responses (it hashes numbers in notifications), archive, ticker and enrollment, which all
    // look erased numbers up by their salted hash (smsctl erase's tombstones) in the opt-outs
    // collection. Each reads it as a secret environment variable, granted on this secret only.
    const salt = args.phoneHashSalt
      ? stackSecret(
          `${name}-phone-hash-salt`,
          { secretId: `${deploymentName}-phone-hash-salt`, region, kmsKeyName, data: args.phoneHashSalt },
          afterKeyGrants,
        )
      : undefined;
    const saltEnv = salt ? [salt.envAs(FUNCTION_ENV.phoneHashSalt)] : [];
    const readsSalt = (id: string, member: pulumi.Output<string>, parent: pulumi.Resource) =>
      salt?.grantRead(id, member, parent);
    const messageLogEnv = {
      firestoreDatabase: this.data.databaseName,
      messageLogCollection: collections.messages,
      pendingReceiptsCollection: collections.pendingReceipts,
    };
    const consumerEnv: Record<ConsumerName, Partial<Record<FunctionEnvKey, pulumi.Input<string>>>> = {
      analytics: {
        ...messageLogEnv,
        circuitBreaker: JSON.stringify(args.circuitBreaker),
        campaignsCollection: collections.campaigns,
        notificationTopic: this.notifications.notificationTopic.name,
      },
      responses: {
        firestoreDatabase: this.data.databaseName,
        responsesCollection: collections.responses,
        optOutsCollection: collections.optOuts,
        optOutReviewsCollection: collections.optOutReviews,
        consentLogCollection: collections.consentLog,
        optOutThresholds: JSON.stringify(args.optOutThresholds),
        revocationClocksCollection: collections.revocations,
        messageLogCollection: collections.messages,
        journeysCollection: collections.journeys,
        subscribersCollection: collections.subscribers,
        campaignsCollection: collections.campaigns,
        notificationTopic: this.notifications.notificationTopic.name,
        helpText: args.helpText,
        stopConfirmationText: args.stopConfirmationText,
        notificationPatterns: JSON.stringify(args.notificationPatterns),
        responseTtlDays: String(args.responseTtlDays),
        twilioAccountSid: args.twilioAccountSid ?? "",
        twilioMessagingServiceSid: args.twilioMessagingServiceSid ?? "",
        twilioStatusCallbackUrl: this.webhook.url,
      },
      // An erased number's rows are dropped (its tombstone read from the opt-outs collection).
      archive: {
        ...messageLogEnv,
        archiveBucket: this.archive.bucketName,
        optOutsCollection: collections.optOuts,
      },
    };
    const responsesEnv = consumerEnv.responses;
    this.replySender = {
      stopConfirmationText: responsesEnv.stopConfirmationText!,
      twilioAccountSid: responsesEnv.twilioAccountSid!,
      twilioMessagingServiceSid: responsesEnv.twilioMessagingServiceSid!,
      twilioStatusCallbackUrl: responsesEnv.twilioStatusCallbackUrl!,
      twilioAuthTokenSecret: this.webhook.secret.secretId,
    };
    const consumer = (id: ConsumerName) => {
      const fn = new ConsumerFunction(
        `${name}-${id}`,
        {
          ...functionBase(id),
          environment: envOf(consumerEnv[id]),
          secrets: [
            ...(id === "responses"
              ? [{ key: FUNCTION_ENV.twilioAuthToken, secretId: this.webhook.secret.secretId }]
              : []),
            // Analytics keeps counts, no number (as on AWS): it has no salt.
            ...(id === "analytics" ? [] : saltEnv),
          ],
          topicId: this.topic.topicId,
          topicName: this.topic.topicName,
          subscriptionName: `${names.stream}-${id}`,
          deadLetterTopicId: this.deadLetter.topicId,
          maxDeliveryAttempts: args.maxDeliveryAttempts,
          minimumBackoffSeconds: args.minimumBackoffSeconds,
          maximumBackoffSeconds: args.maximumBackoffSeconds,
          ackDeadlineSeconds: args.ackDeadlineSeconds,
          pubsubServiceAgent: agents.pubsub,
          readsSecrets: (member, parent) => [
            ...(id === "responses" ? [readsToken(id, member, parent)] : []),
            ...(id === "analytics" ? [] : [readsSalt(id, member, parent)]),
          ],
          grants: (member, parent) => {
            // Every consumer dead-letters poison messages itself (raw bytes + reason attributes).
            deadLetters(id, member, parent);
            grants[id](member, parent);
          },
        },
        child,
      );
      return fn;
    };
    this.consumers = {
      analytics: consumer("analytics"),
      responses: consumer("responses"),
      archive: consumer("archive"),
    };

    // Launched campaigns: the audience upload -> enrollment (chunked) -> journey states the ticker sends.
    const journeyStoresEnv = {
      firestoreDatabase: this.data.databaseName,
      journeysCollection: collections.journeys,
      subscribersCollection: collections.subscribers,
      campaignsCollection: collections.campaigns,
      optOutsCollection: collections.optOuts,
      optOutReviewsCollection: collections.optOutReviews,
      sendLedgerCollection: collections.ledger,
      eventsTopic: this.topic.topicName,
    };
    this.audience = new CampaignAudience(
      `${name}-audience`,
      {
        bucketPrefix: `${deploymentName}-audience`,
        project,
        location: region,
        kmsKeyName,
        topicName: `${deploymentName}-enrollment`,
        retentionDays: args.audienceRetentionDays,
        storageServiceAgent: agents.storage,
      },
      afterKeyGrants,
    );
    const enrollmentTimeout = Math.max(args.functionTimeoutSeconds, 300);
    this.enrollment = new ConsumerFunction(
      `${name}-enrollment`,
      {
        ...functionBase("enrollment"),
        timeoutSeconds: enrollmentTimeout,
        // One chunk at a time: a duplicate upload event cannot race its own enrollment.
        maxInstances: 1,
        concurrency: 1,
        environment: envOf({
          ...journeyStoresEnv,
          audienceBucket: this.audience.bucketName,
          enrollmentTopic: this.audience.topicName,
          enrollmentChunkRows: String(args.enrollmentChunkRows),
        }),
        topicId: this.audience.topicId,
        topicName: this.audience.topicName,
        subscriptionName: `${deploymentName}-enrollment`,
        deadLetterTopicId: this.deadLetter.topicId,
        maxDeliveryAttempts: args.maxDeliveryAttempts,
        minimumBackoffSeconds: args.minimumBackoffSeconds,
        maximumBackoffSeconds: args.maximumBackoffSeconds,
        ackDeadlineSeconds: Math.min(600, enrollmentTimeout),
        // Erased numbers are never enrolled again.
        secrets: saltEnv,
        pubsubServiceAgent: agents.pubsub,
        readsSecrets: (member, parent) => [readsSalt("enrollment", member, parent)],
        grants: (member, parent) => {
          deadLetters("enrollment", member, parent);
          usesFirestore("enrollment", member, parent);
          new gcp.storage.BucketIAMMember(
            `${name}-enrollment-reads-audience`,
            { bucket: this.audience.bucketName, role: STORAGE_OBJECT_VIEWER, member },
            { parent },
          );
          // It hands the next chunk on through its own topic; it never sends, so no events topic.
          new gcp.pubsub.TopicIAMMember(
            `${name}-enrollment-hands-on`,
            { topic: this.audience.topicId, role: PUBSUB_PUBLISHER, member },
            { parent },
          );
        },
      },
      child,
    );
    const tickSeconds = args.tickIntervalMinutes * 60;
    this.ticker = new TickerFunction(
      `${name}-ticker`,
      {
        ...functionBase("ticker"),
        timeoutSeconds: tickTimeoutSecondsOf(args.tickIntervalMinutes),
        jobName: `${deploymentName}-journey-tick`,
        schedule: tickScheduleOf(args.tickIntervalMinutes),
        intervalSeconds: tickSeconds,
        environment: envOf({
          ...journeyStoresEnv,
          tickMps: String(args.tickMps),
          tickIntervalSeconds: String(tickSeconds),
          ...(args.tickBudgetUsd === undefined ? {} : { tickBudgetUsd: String(args.tickBudgetUsd) }),
          sendWindowStartHour: String(args.sendWindow.startHour),
          sendWindowEndHour: String(args.sendWindow.endHour),
          // The revocation SLA monitor runs after each tick: its clocks, and the message log it checks.
          revocationClocksCollection: collections.revocations,
          messageLogCollection: collections.messages,
          revocationSlaMinutes: String(args.revocationSlaMinutes),
          twilioAccountSid: args.twilioAccountSid ?? "",
          twilioMessagingServiceSid: args.twilioMessagingServiceSid ?? "",
          twilioStatusCallbackUrl: this.webhook.url,
        }),
        // Erased numbers are seen as opted out: nothing is sent to them.
        secrets: [{ key: FUNCTION_ENV.twilioAuthToken, secretId: this.webhook.secret.secretId }, ...saltEnv],
        readsSecrets: (member, parent) => [
          readsToken("ticker", member, parent),
          readsSalt("ticker", member, parent),
        ],
        grants: (member, parent) => {
          usesFirestore("ticker", member, parent);
          // Every send is published as a queued event, so the message log and analytics hear of it.
          new gcp.pubsub.TopicIAMMember(
            `${name}-ticker-publishes`,
            { topic: this.topic.topicId, role: PUBSUB_PUBLISHER, member },
            { parent },
          );
        },
      },
      child,
    );

    this.monitoring = new Monitoring(
      `${name}-monitoring`,
      {
        metricNamespace: names.metricNamespace,
        alarmTopicId: this.notifications.alarmTopic.id,
        monitoringServiceAgent: agents.monitoring,
        email: args.notificationEmail,
        subscriptions: [
          ...CONSUMER_NAMES.map((id) => ({ id, name: this.consumers[id].subscription.name })),
          { id: "enrollment", name: this.enrollment.subscription.name },
        ],
        deadLetterSubscription: this.deadLetter.holding.name,
        deliveryRateThresholdPercent: args.alarms.deliveryRatePercent,
        optOutRateThresholdPercent: args.alarms.optOutRatePercent,
        oldestUnackedThresholdMs: args.alarms.iteratorAgeMs,
      },
      child,
    );
    this.registerOutputs(gcpPipelineOutputs(this));
  }
}

/** What connectGcpStack reads, under the names it reads them by (CAMPAIGN_STACK_OUTPUTS). */
const campaignStackOutputs = (pipeline: Pipeline): Record<CampaignStackOutput, pulumi.Input<string>> => {
  const values: Record<CampaignStackOutput, pulumi.Input<string>> = {
    project: pipeline.project,
    region: pipeline.region,
    firestoreDatabase: pipeline.data.databaseName,
    campaignsCollection: pipeline.data.collections.campaigns,
    audienceBucket: pipeline.audience.bucketName,
  };
  return Object.fromEntries(CAMPAIGN_STACK_OUTPUTS.map((key) => [key, values[key]])) as typeof values;
};

/** The stack outputs, one shape for the entry file and for registerOutputs. */
export const gcpPipelineOutputs = (pipeline: Pipeline) => ({
  ...campaignStackOutputs(pipeline),
  [REVOCATION_CLOCKS_OUTPUT]: pipeline.data.collections.revocations,
  eventsTopic: pipeline.topic.topicName,
  subscriptions: Object.fromEntries(
    Object.entries(pipeline.consumers).map(([id, c]) => [id, c.subscription.name]),
  ),
  deadLetterTopic: pipeline.deadLetter.topicName,
  deadLetterSubscription: pipeline.deadLetter.holding.name,
  collections: pipeline.data.collections,
  archiveBucket: pipeline.archive.bucketName,
  bigQueryTable: pipeline.archive.table
    ? pulumi.interpolate`${pipeline.archive.table.datasetId}.${pipeline.archive.table.tableId}`
    : undefined,
  notificationTopic: pipeline.notifications.notificationTopic.name,
  alarmTopic: pipeline.notifications.alarmTopic.name,
  twilioWebhookUrl: pipeline.webhook.url,
  twilioAuthTokenSecret: pipeline.webhook.secret.secretId,
  replySender: pipeline.replySender,
  functionNames: {
    ...Object.fromEntries(Object.entries(pipeline.consumers).map(([id, c]) => [id, c.functionName])),
    webhook: pipeline.webhook.functionName,
    enrollment: pipeline.enrollment.functionName,
    ticker: pipeline.ticker.functionName,
  },
  enrollmentTopic: pipeline.audience.topicName,
  enrollmentSubscription: pipeline.enrollment.subscription.name,
  tickerJob: pipeline.ticker.job.name,
});
