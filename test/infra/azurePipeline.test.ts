import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CIRCUIT_BREAKER } from "../../core/campaign/circuit-breaker";
import { activeBreaker } from "../../core/campaign/circuit-breaker-setting";
import { METRIC } from "../../core/processing/analytics";
import { CAMPAIGN_STACK_OUTPUTS, REVOCATION_CLOCKS_OUTPUT } from "../../providers/azure/infra/stackOutputs";
import { parseAzureReviewOutputs } from "../../providers/azure/runtime/review-stack";
import { AnalyticsEnvSchema, ENV, parseEnv } from "../../providers/azure/runtime/settings";
import { injectRevocationBreach } from "../support/revocation-breach";
import { azureRecorder, deployAzureUnderMocks } from "./azureHarness";
import type { RecordedResource } from "./harness";

const recorded = azureRecorder();
let outputs: Record<string, unknown>;

beforeAll(async () => {
  outputs = await deployAzureUnderMocks(recorded, {
    notificationEmail: "ops@example.com",
    smsSenderNumber: "+18005550100",
    phoneHashSalt: "phone-hash-salt-0123456789abcdef",
    notificationPatterns: [{ name: "complaint", type: "keyword", keyword: "COMPLAINT" }],
    optOutThresholds: { optOut: 0.95, review: 0.5 },
  });
}, 60_000);

const settingsOf = (app: RecordedResource): Record<string, string> =>
  Object.fromEntries(
    (app.inputs.siteConfig.appSettings as { name: string; value: string }[]).map((s) => [s.name, s.value]),
  );
const appFor = (handler: string) => recorded.one("azure-native:web:WebApp", `-${handler}-app`);

describe("the Azure pipeline under Pulumi mocks", () => {
  it("hands the phone hash's salt and the opt-outs container to the apps that write a number (they screen erased ones), never to analytics", () => {
    const apps = recorded.ofType("azure-native:web:WebApp");
    const withSalt = apps.filter((app) => settingsOf(app).PHONE_HASH_SALT !== undefined);
    expect(withSalt.map((app) => app.name).sort()).toEqual(
      [appFor("archive").name, appFor("campaigns").name, appFor("responses").name].sort(),
    );
    for (const app of withSalt) {
      expect(settingsOf(app).PHONE_HASH_SALT).toBe("phone-hash-salt-0123456789abcdef");
      // Where the tombstones (erased#<salted hash>) are looked up.
      expect(settingsOf(app).OPT_OUTS_CONTAINER).toBe("sms-opt-outs");
      // A secret in the state, as the config value was.
      expect(app.secrets.length).toBeGreaterThan(0);
    }
    expect(settingsOf(appFor("analytics")).PHONE_HASH_SALT).toBeUndefined();
  });

  it("creates one Event Hub with the Standard tier's 7-day retention (the shared one-year default clamped), 4 partitions and a consumer group per consumer", () => {
    const namespace = recorded.one("azure-native:eventhub:Namespace");
    expect(namespace.inputs).toMatchObject({
      disableLocalAuth: true,
      minimumTlsVersion: "1.2",
      sku: { tier: "Standard" },
    });
    const hub = recorded.one("azure-native:eventhub:EventHub");
    expect(hub.inputs).toMatchObject({
      eventHubName: "sms-events-stream",
      partitionCount: 4,
      retentionDescription: { cleanupPolicy: "Delete", retentionTimeInHours: 168 },
    });
    expect(hub.inputs.captureDescription).toBeUndefined();
    const groups = recorded
      .ofType("azure-native:eventhub:ConsumerGroup")
      .map((g) => g.inputs.consumerGroupName);
    expect(groups.sort()).toEqual(["analytics", "archive", "responses"]);
  });

  it("creates a serverless, Entra-only Cosmos DB account whose responses container expires replies after 365 days", () => {
    const account = recorded.one("azure-native:cosmosdb:DatabaseAccount");
    expect(account.inputs).toMatchObject({
      capabilities: [{ name: "EnableServerless" }],
      disableLocalAuth: true,
      disableKeyBasedMetadataWriteAccess: true,
      minimalTlsVersion: "Tls12",
    });
    const containers = recorded.ofType("azure-native:cosmosdb:SqlResourceSqlContainer");
    expect(containers).toHaveLength(11);
    // Revocation SLA clocks: each a point read by its id, kept (no TTL) as compliance evidence.
    const clocks = containers.find((c) => c.inputs.containerName === "sms-revocation-clocks");
    expect(clocks?.inputs.resource).toMatchObject({
      partitionKey: { paths: ["/id"], kind: "Hash" },
      defaultTtl: -1,
    });
    // Replies held for opt-out review: a send's hold check reads the number's own partition.
    const reviews = containers.find((c) => c.inputs.containerName === "sms-opt-out-reviews");
    expect(reviews?.inputs.resource).toMatchObject({
      partitionKey: { paths: ["/phone_number"], kind: "Hash" },
      defaultTtl: -1,
    });
    // Parked receipts: one partition per consumer, TTL on per item (a backstop, see pending-receipts.ts).
    const parked = containers.find((c) => c.inputs.containerName === "sms-pending-receipts");
    expect(parked?.inputs.resource).toMatchObject({
      partitionKey: { paths: ["/consumer"], kind: "Hash" },
      defaultTtl: -1,
    });
    const responses = containers.find((c) => c.inputs.containerName === "sms-responses");
    expect(responses?.inputs.resource).toMatchObject({
      partitionKey: { paths: ["/subscriber_id"], kind: "Hash" },
      defaultTtl: 365 * 86_400,
    });
  });

  it("keeps every storage account private, Entra-only, TLS 1.2 and double-encrypted", () => {
    const accounts = recorded.ofType("azure-native:storage:StorageAccount");
    expect(accounts).toHaveLength(3);
    for (const account of accounts) {
      expect(account.inputs).toMatchObject({
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        encryption: { requireInfrastructureEncryption: true },
      });
      expect(account.inputs.accountName).toMatch(/^[a-z0-9]{3,24}$/);
    }
    for (const container of recorded.ofType("azure-native:storage:BlobContainer")) {
      expect(container.inputs.publicAccess).toBe("None");
    }
  });

  it("moves archived events to Cool, then Archive, and deletes them no sooner than a year", () => {
    const policy = recorded.one("azure-native:storage:ManagementPolicy");
    const [rule] = policy.inputs.policy.rules;
    expect(rule.definition.filters.prefixMatch).toContain("archive/events/");
    expect(rule.definition.actions.baseBlob).toEqual({
      tierToCool: { daysAfterModificationGreaterThan: 30 },
      tierToArchive: { daysAfterModificationGreaterThan: 180 },
      delete: { daysAfterModificationGreaterThan: 730 },
    });
  });

  it("routes both ACS SMS event types from the system topic to the hub, keyed by the person", () => {
    const topic = recorded.one("azure-native:eventgrid:SystemTopic", "-sms-events");
    expect(topic.inputs).toMatchObject({
      topicType: "Microsoft.Communication.CommunicationServices",
      identity: { type: "SystemAssigned" },
    });
    const subscriptions = recorded
      .ofType("azure-native:eventgrid:SystemTopicEventSubscription")
      .filter((s) => !s.name.endsWith("-uploads"));
    const routes = subscriptions.map((s) => ({
      types: s.inputs.filter.includedEventTypes,
      endpoint: s.inputs.deliveryWithResourceIdentity.destination.endpointType,
      key: s.inputs.deliveryWithResourceIdentity.destination.deliveryAttributeMappings[0].sourceField,
    }));
    expect(routes).toEqual(
      expect.arrayContaining([
        { types: ["Microsoft.Communication.SMSReceived"], endpoint: "EventHub", key: "data.from" },
        {
          types: ["Microsoft.Communication.SMSDeliveryReportReceived"],
          endpoint: "EventHub",
          key: "data.to",
        },
      ]),
    );
  });

  it("dead-letters what Event Grid cannot deliver into a private container its identity alone may write", () => {
    const subscriptions = recorded.ofType("azure-native:eventgrid:SystemTopicEventSubscription");
    for (const subscription of subscriptions) {
      expect(subscription.inputs.deadLetterWithResourceIdentity).toMatchObject({
        identity: { type: "SystemAssigned" },
        deadLetterDestination: { endpointType: "StorageBlob", blobContainerName: "eventgrid-dead-letters" },
      });
    }
    const topicGrants = recorded
      .ofType("azure-native:authorization:RoleAssignment")
      .filter((a) => a.name.startsWith("sms-sms-events-"));
    expect(topicGrants.map((a) => a.inputs.scope.split("/").at(-1)).sort()).toEqual(
      ["eventgrid-dead-letters", "sms-events-stream"].sort(),
    );
  });

  it("expires the message log with the replies it links, and keeps the other containers without a default TTL", () => {
    const ttlOf = (name: string) =>
      recorded
        .ofType("azure-native:cosmosdb:SqlResourceSqlContainer")
        .find((c) => c.inputs.containerName === name)?.inputs.resource.defaultTtl;
    expect(ttlOf("sms-message-log")).toBe(365 * 86_400);
    expect(ttlOf("sms-opt-outs")).toBe(-1);
    expect(ttlOf("sms-send-ledger")).toBe(-1);
  });

  it("deploys each consumer as a Flex Consumption Node 22 app with its own consumer group and the trigger's batch settings", () => {
    for (const handler of ["analytics", "responses", "archive"]) {
      const app = appFor(handler);
      expect(app.inputs.kind).toBe("functionapp,linux");
      expect(app.inputs.httpsOnly).toBe(true);
      expect(app.inputs.functionAppConfig.runtime).toEqual({ name: "node", version: "22" });
      const settings = settingsOf(app);
      expect(settings).toMatchObject({
        SMS_HANDLER: handler,
        EVENT_HUB_CONSUMER_GROUP: handler,
        EVENT_HUB_NAME: "sms-events-stream",
        EventHubConnection__credential: "managedidentity",
        AzureFunctionsJobHost__extensions__eventHubs__maxEventBatchSize: "100",
        AzureFunctionsJobHost__extensions__eventHubs__maxWaitTime: "00:00:05",
        AzureFunctionsJobHost__extensions__eventHubs__batchCheckpointFrequency: "1",
        RECORD_MAX_ATTEMPTS: "3",
        DEAD_LETTER_QUEUE: "sms-events-dlq",
      });
      expect(settings.EventHubConnection__fullyQualifiedNamespace).toMatch(/\.servicebus\.windows\.net$/);
      expect(Object.keys(settings).some((key) => /AccountKey|SharedAccessKey/i.test(settings[key]))).toBe(
        false,
      );
    }
    expect(settingsOf(appFor("responses")).SMS_SENDER_NUMBER).toBe("+18005550100");
  });

  it("scopes every role assignment to a single resource, never a subscription or resource group, and never Owner", () => {
    const assignments = recorded.ofType("azure-native:authorization:RoleAssignment");
    expect(assignments.length).toBeGreaterThanOrEqual(14);
    for (const assignment of assignments) {
      expect(assignment.inputs.scope).toMatch(/\/providers\/.+\/.+/);
      expect(assignment.inputs.roleDefinitionId).not.toMatch(/8e3af657-a8ff-443c-a75c-2fe8c4bcb635$/);
    }
    const archiveWrites = assignments.filter(
      (a) =>
        a.name.startsWith("sms-archive-") &&
        a.inputs.roleDefinitionId.endsWith("ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
    );
    expect(archiveWrites).toHaveLength(1);
    expect(archiveWrites[0].inputs.scope).toContain("BlobContainer");
    const cosmos = recorded.ofType("azure-native:cosmosdb:SqlResourceSqlRoleAssignment");
    const builtIn = cosmos.filter((c) =>
      /\/sqlRoleDefinitions\/0{8}-0{4}-0{4}-0{4}-0{11}[12]$/.test(c.inputs.roleDefinitionId),
    );
    // The one assignment of a custom role: the consent log's append-only role (its own test below).
    expect(cosmos.length - builtIn.length).toBe(1);
    const grants = (reader: boolean) =>
      builtIn
        .filter((c) => c.inputs.roleDefinitionId.endsWith("-000000000001") === reader)
        .map((c) => `${c.name.split("-cosmos-")[0]}:${c.inputs.scope.split("/colls/")[1]}`)
        .sort();
    expect(grants(false)).toEqual([
      // The circuit breaker's window counters and pauses.
      "sms-analytics:sms-campaigns",
      "sms-analytics:sms-pending-receipts",
      "sms-archive:sms-pending-receipts",
      "sms-campaigns:sms-campaigns",
      "sms-campaigns:sms-journeys",
      "sms-campaigns:sms-opt-outs",
      "sms-campaigns:sms-revocation-clocks",
      "sms-campaigns:sms-send-ledger",
      "sms-campaigns:sms-subscribers",
      "sms-responses:sms-campaigns",
      "sms-responses:sms-journeys",
      "sms-responses:sms-message-log",
      "sms-responses:sms-opt-out-reviews",
      "sms-responses:sms-opt-outs",
      "sms-responses:sms-responses",
      "sms-responses:sms-revocation-clocks",
    ]);
    // Analytics and archive only read the message log (phone-less receipts) and write only the
    // receipts they park; the archive reads erasure tombstones (opt-outs) to drop an erased
    // number's rows; reply routing looks subscribers up. The campaigns app writes opt-outs already
    // (a provider-reported opt-out), so it reads tombstones there.
    // The ticker only reads the review queue (a held number gets nothing) and, for the revocation
    // SLA monitor, the message log (was anything sent after an opt-out?).
    expect(grants(true)).toEqual([
      "sms-analytics:sms-message-log",
      "sms-archive-erasures:sms-opt-outs",
      "sms-archive:sms-message-log",
      "sms-campaigns-reviews:sms-message-log",
      "sms-campaigns-reviews:sms-opt-out-reviews",
      "sms-responses-routing:sms-subscribers",
    ]);
  });

  it("keeps consent evidence in its own container that only the responses app may append to: create and read, no replace, upsert or delete", () => {
    const container = recorded
      .ofType("azure-native:cosmosdb:SqlResourceSqlContainer")
      .find((c) => c.inputs.containerName === "sms-consent-log");
    expect(container?.inputs.resource).toMatchObject({
      partitionKey: { paths: ["/phone_number"], kind: "Hash" },
      uniqueKeyPolicy: { uniqueKeys: [{ paths: ["/event_id"] }] },
      // Evidence does not expire with the replies.
      defaultTtl: -1,
    });
    const role = recorded.one("azure-native:cosmosdb:SqlResourceSqlRoleDefinition");
    expect(role.inputs.type).toBe("CustomRole");
    expect(role.inputs.assignableScopes).toEqual([expect.stringMatching(/\/colls\/sms-consent-log$/)]);
    const actions: string[] = role.inputs.permissions.flatMap(
      (p: { dataActions: string[] }) => p.dataActions,
    );
    expect(actions.map((a) => a.split("/").slice(-2).join("/")).sort()).toEqual(
      ["containers/executeQuery", "databaseAccounts/readMetadata", "items/create", "items/read"].sort(),
    );
    expect(actions.filter((a) => /delete|replace|upsert|\*/i.test(a))).toEqual([]);
    const onConsent = recorded
      .ofType("azure-native:cosmosdb:SqlResourceSqlRoleAssignment")
      .filter((a) => a.inputs.scope.endsWith("/colls/sms-consent-log"));
    expect(onConsent.map((a) => a.name)).toEqual(["sms-responses-cosmos-consentLog"]);
    expect(onConsent[0].inputs.roleDefinitionId).toBe(role.outputs.id);
    const naming = recorded
      .ofType("azure-native:web:WebApp")
      .filter((app) => settingsOf(app).CONSENT_LOG_CONTAINER !== undefined);
    expect(naming.map((app) => app.name)).toEqual([appFor("responses").name]);
    expect(settingsOf(naming[0]).CONSENT_LOG_CONTAINER).toBe("sms-consent-log");
  });

  it("gives the responses app the configured opt-out thresholds and the review container", () => {
    const settings = settingsOf(appFor("responses"));
    expect(settings.OPT_OUT_REVIEWS_CONTAINER).toBe("sms-opt-out-reviews");
    expect(JSON.parse(settings.OPT_OUT_THRESHOLDS)).toEqual({ optOut: 0.95, review: 0.5 });
  });

  it("alerts on delivery rate, opt-out rate, consumer lag and dead letters through one action group", () => {
    const alerts = recorded.ofType("azure-native:monitor:MetricAlert");
    const criteria = alerts.map((a) => a.inputs.criteria.allOf[0]);
    expect(criteria).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ metricName: METRIC.deliveryRate, operator: "LessThan", threshold: 95 }),
        expect.objectContaining({ metricName: METRIC.optOutRate, operator: "GreaterThan", threshold: 5 }),
        expect.objectContaining({ metricName: "ConsumerLagMs", operator: "GreaterThan", threshold: 60_000 }),
        expect.objectContaining({
          metricName: "ActiveMessages",
          metricNamespace: "Microsoft.ServiceBus/namespaces",
        }),
      ]),
    );
    const group = recorded.one("azure-native:monitor:ActionGroup");
    expect(group.inputs.emailReceivers[0].emailAddress).toBe("ops@example.com");
    for (const alert of alerts) expect(alert.inputs.actions[0].actionGroupId).toBe(group.outputs.id);
    const insights = recorded.one("azure-native:applicationinsights:Component");
    expect(insights.inputs).toMatchObject({ disableLocalAuth: true, ingestionMode: "LogAnalytics" });
  });

  it("raises the revocation SLA alert on an injected breach: it watches exactly the datum the monitor emits", async () => {
    const { datum, failed } = await injectRevocationBreach();
    expect(failed).toEqual(["no_send_after"]);
    const alerts = recorded
      .ofType("azure-native:monitor:MetricAlert")
      .filter((a) => a.inputs.criteria.allOf[0].metricName === datum.name);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    const criterion = alert?.inputs.criteria.allOf[0];
    // Application Insights files the datum under the stack's custom namespace (runtime/metrics-sink.ts).
    expect(criterion).toMatchObject({
      metricNamespace: "SmsCampaigns",
      operator: "GreaterThan",
      threshold: 0,
      timeAggregation: "Total",
    });
    expect((criterion.dimensions ?? []).map((d: { name: string }) => d.name)).toEqual(
      Object.keys(datum.dimensions),
    );
    expect(datum.value).toBeGreaterThan(criterion.threshold);
    expect(alert?.inputs.actions[0].actionGroupId).toBe(
      recorded.one("azure-native:monitor:ActionGroup").outputs.id,
    );
  });

  it("runs launched campaigns in their own app: the ticker's schedule and rate, enrollment on the queue, no Event Hubs trigger", () => {
    const settings = settingsOf(appFor("campaigns"));
    expect(settings).toMatchObject({
      TICK_SCHEDULE: "0 */1 * * * *",
      TICK_INTERVAL_SECONDS: "60",
      TICK_MPS: "1",
      TICK_BUDGET_USD: "",
      SEND_WINDOW_START_HOUR: "8",
      SEND_WINDOW_END_HOUR: "21",
      ENROLLMENT_CHUNK_ROWS: "2000",
      ENROLLMENT_QUEUE: "sms-enrollment",
      AUDIENCE_CONTAINER: "audience",
      CAMPAIGNS_CONTAINER: "sms-campaigns",
      OPT_OUT_REVIEWS_CONTAINER: "sms-opt-out-reviews",
      // The revocation SLA monitor runs after each tick.
      REVOCATION_CLOCKS_CONTAINER: "sms-revocation-clocks",
      MESSAGE_LOG_CONTAINER: "sms-message-log",
      REVOCATION_SLA_MINUTES: "5",
      ServiceBusConnection__credential: "managedidentity",
      ServiceBusConnection__clientId: "sms-campaigns-identity-client",
    });
    expect(settings.ServiceBusConnection__fullyQualifiedNamespace).toMatch(/\.servicebus\.windows\.net$/);
    expect(settings.SMS_HANDLER).toBeUndefined();
    expect(Object.keys(settings).some((key) => key.includes("extensions__eventHubs"))).toBe(false);
    const hostIds = ["analytics", "responses", "archive", "campaigns"].map(
      (id) => settingsOf(appFor(id)).AzureFunctionsWebHost__hostid,
    );
    expect(new Set(hostIds).size).toBe(4);
    for (const id of hostIds) expect(id.length).toBeLessThanOrEqual(32);
  });

  it("bounds the enrollment queue's deliveries and dead-letters what exceeds them, deduplicating hand-offs", () => {
    const queue = recorded.one("azure-native:servicebus:Queue", "-enrollment");
    expect(queue.inputs).toMatchObject({
      queueName: "sms-enrollment",
      maxDeliveryCount: 5,
      deadLetteringOnMessageExpiration: true,
      requiresDuplicateDetection: true,
      lockDuration: "PT5M",
    });
  });

  it("keeps audiences in a private container whose uploads reach the enrollment queue through Event Grid", () => {
    const container = recorded.one("azure-native:storage:BlobContainer", "-audience-container");
    expect(container.inputs).toMatchObject({ containerName: "audience", publicAccess: "None" });
    const topic = recorded.one("azure-native:eventgrid:SystemTopic", "-audience-events");
    expect(topic.inputs).toMatchObject({ topicType: "Microsoft.Storage.StorageAccounts" });
    const uploads = recorded.one("azure-native:eventgrid:SystemTopicEventSubscription", "-uploads");
    expect(uploads.inputs.filter).toMatchObject({
      includedEventTypes: ["Microsoft.Storage.BlobCreated"],
      subjectBeginsWith: "/blobServices/default/containers/audience/blobs/campaigns/",
      subjectEndsWith: "/audience.csv",
    });
    expect(uploads.inputs.deliveryWithResourceIdentity.destination).toEqual({
      endpointType: "ServiceBusQueue",
      resourceId: recorded.one("azure-native:servicebus:Queue", "-enrollment").outputs.id,
    });
  });

  it("grants the campaigns app and the audience topic each role on exactly one resource", () => {
    const scopesOf = (prefix: string) =>
      recorded
        .ofType("azure-native:authorization:RoleAssignment")
        .filter((a) => a.name.startsWith(prefix))
        .map((a) => `${a.name.slice(prefix.length).replace(/-\d+$/, "")}@${a.inputs.scope.split("/").at(-1)}`)
        .sort();
    const lastOf = (type: string, suffix?: string) => recorded.one(type, suffix).outputs.id.split("/").at(-1);
    const functionsAccount = lastOf("azure-native:storage:StorageAccount", "-functions-account");
    const insights = lastOf("azure-native:applicationinsights:Component");
    expect(scopesOf("sms-campaigns-")).toEqual(
      [
        "contributor@sms-campaigns-azure-acs",
        "eventHubsDataSender@sms-events-stream",
        `monitoringMetricsPublisher@${insights}`,
        "serviceBusDataReceiver@sms-enrollment",
        "serviceBusDataSender@sms-enrollment",
        "serviceBusDataSender@sms-events-dlq",
        `storageBlobDataOwner@${functionsAccount}`,
        "storageBlobDataReader@audience",
      ].sort(),
    );
    expect(scopesOf("sms-audience-events-")).toEqual(
      ["serviceBusDataSender@sms-enrollment", "storageBlobDataContributor@eventgrid-dead-letters"].sort(),
    );
  });

  it("exports the endpoints the runtime and operators need", () => {
    expect(outputs).toMatchObject({
      eventHubName: "sms-events-stream",
      notificationTopic: "sms-response-notifications",
      deadLetterQueue: "sms-events-dlq",
      archivePrefix: "events/",
      functionAppNames: {
        analytics: "sms-campaigns-azure-analytics",
        responses: "sms-campaigns-azure-responses",
        archive: "sms-campaigns-azure-archive",
        campaigns: "sms-campaigns-azure-campaigns",
      },
      campaignsContainer: "sms-campaigns",
      audienceContainer: "audience",
      enrollmentQueue: "sms-enrollment",
      // smsctl compliance report --outputs shows due times with the window the ticker judges by.
      cloud: "azure",
      revocationSlaMinutes: 5,
    });
    for (const key of CAMPAIGN_STACK_OUTPUTS) expect(outputs[key]).toEqual(expect.any(String));
    expect(outputs.audienceBlobEndpoint).toMatch(/^https:\/\/.+\.blob\.core\.windows\.net\/$/);
  });

  it("names the revocation clocks container `smsctl compliance report --stack` lists", () => {
    expect(outputs[REVOCATION_CLOCKS_OUTPUT]).toBe("sms-revocation-clocks");
  });

  it("gives `smsctl review --stack` its containers and the responses app's STOP confirmation settings, read by the command's own parser", () => {
    const review = parseAzureReviewOutputs(outputs);
    expect(review.containers).toMatchObject({
      optOutReviews: "sms-opt-out-reviews",
      consentLog: "sms-consent-log",
      revocations: "sms-revocation-clocks",
    });
    const responses = settingsOf(appFor("responses"));
    expect(review.replySender).toEqual({
      stopConfirmationText: responses[ENV.stopConfirmationText],
      acsEndpoint: responses[ENV.acsEndpoint],
      senderNumber: "+18005550100",
    });
    expect(responses[ENV.senderNumber]).toBe("+18005550100");
  });

  it("gives the analytics app all its circuit breaker needs: the handler's own settings read the stack's breaker, campaigns container and topic", () => {
    const env = parseEnv(AnalyticsEnvSchema, settingsOf(appFor("analytics")));
    expect(activeBreaker(env[ENV.circuitBreaker])).toEqual(DEFAULT_CIRCUIT_BREAKER);
    expect(env[ENV.campaignsContainer]).toBe("sms-campaigns");
    expect(env[ENV.notificationTopic]).toBe("sms-response-notifications");
  });
});
