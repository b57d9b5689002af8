import { beforeAll, describe, expect, it } from "vitest";
import { AZURE_RESOURCE_POLICIES } from "../../policy/azure";
import { azureCosmosTtlAndAuth } from "../../policy/azureCosmos";
import { azureDeliveryBoundedAndDeadLettered } from "../../policy/azureDelivery";
import { azureEventHubsSettings } from "../../policy/azureEventHubs";
import { azureRoleAssignmentScope } from "../../policy/azureRoles";
import { azureStoragePrivateAndEncrypted } from "../../policy/azureStorage";
import { RESOURCE_POLICIES } from "../../policy/rules";
import { runPack, runResourcePolicy } from "../policy/harness";
import { azureRecorder, deployAzureUnderMocks } from "./azureHarness";
import type { RecordedResource } from "./harness";

const recorded = azureRecorder();

beforeAll(async () => {
  await deployAzureUnderMocks(recorded, {});
}, 60_000);

/** The recorded resource with some inputs changed: the failing case of a rule. */
const altered = (resource: RecordedResource, inputs: Record<string, unknown>) => ({
  ...resource,
  inputs: { ...resource.inputs, ...inputs },
});
const messagesOf = async (
  policy: Parameters<typeof runResourcePolicy>[0],
  resource: Pick<RecordedResource, "type" | "name" | "urn" | "inputs">,
) => (await runResourcePolicy(policy, resource)).violations.map((v) => v.message);

describe("the Azure policy rules", () => {
  it("are registered in the pack, and the Azure stack passes every resource rule", async () => {
    for (const policy of AZURE_RESOURCE_POLICIES) expect(RESOURCE_POLICIES).toContain(policy);
    expect(await runPack(RESOURCE_POLICIES, [], recorded.resources)).toEqual([]);
  });

  it("reject a storage account with public blob access, shared keys or no infrastructure encryption", async () => {
    const [account] = recorded.ofType("azure-native:storage:StorageAccount");
    const messages = await messagesOf(
      azureStoragePrivateAndEncrypted,
      altered(account, { allowBlobPublicAccess: true, allowSharedKeyAccess: true, encryption: {} }),
    );
    expect(messages).toEqual([
      "allowBlobPublicAccess must be false",
      "allowSharedKeyAccess must be false (Entra ID only)",
      "encryption.requireInfrastructureEncryption must be true",
    ]);
    const [container] = recorded.ofType("azure-native:storage:BlobContainer");
    expect(
      await messagesOf(azureStoragePrivateAndEncrypted, altered(container, { publicAccess: "Blob" })),
    ).toHaveLength(1);
  });

  it("reject a responses container without a default TTL and an account with key auth", async () => {
    const responses = recorded
      .ofType("azure-native:cosmosdb:SqlResourceSqlContainer")
      .find((c) => c.inputs.containerName === "sms-responses")!;
    const noTtl = altered(responses, { resource: { ...responses.inputs.resource, defaultTtl: -1 } });
    expect(await messagesOf(azureCosmosTtlAndAuth, noTtl)).toEqual([
      'container "sms-responses" holds data with a retention limit: set resource.defaultTtl (seconds)',
    ]);
    const account = recorded.one("azure-native:cosmosdb:DatabaseAccount");
    expect(await messagesOf(azureCosmosTtlAndAuth, altered(account, { disableLocalAuth: false }))).toEqual([
      "disableLocalAuth must be true (Entra ID only)",
    ]);
  });

  it("reject an Event Hubs namespace with SAS keys and a hub keeping events under a day", async () => {
    const namespace = recorded.one("azure-native:eventhub:Namespace");
    expect(
      await messagesOf(azureEventHubsSettings, altered(namespace, { disableLocalAuth: false })),
    ).toHaveLength(1);
    const hub = recorded.one("azure-native:eventhub:EventHub");
    const short = altered(hub, {
      retentionDescription: { cleanupPolicy: "Delete", retentionTimeInHours: 1 },
    });
    expect(await messagesOf(azureEventHubsSettings, short)).toEqual([
      "retention of 1 hours is below 24 hours",
    ]);
  });

  it("reject a role assignment at resource group scope and any Owner assignment", async () => {
    const [assignment] = recorded.ofType("azure-native:authorization:RoleAssignment");
    const groupScope = altered(assignment, { scope: "/subscriptions/s/resourceGroups/sms-campaigns-azure" });
    expect(await messagesOf(azureRoleAssignmentScope, groupScope)).toEqual([
      'scope "/subscriptions/s/resourceGroups/sms-campaigns-azure" is broader than one resource',
    ]);
    const owner = altered(assignment, {
      roleDefinitionId:
        "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    });
    expect(await messagesOf(azureRoleAssignmentScope, owner)).toEqual(["the stack never assigns Owner"]);
  });

  it("reject an enrollment queue without a bounded delivery count or that drops expired messages, and an Event Grid route without a dead letter", async () => {
    const queue = recorded.one("azure-native:servicebus:Queue", "-enrollment");
    const { maxDeliveryCount, ...unbounded } = queue.inputs;
    expect(
      await messagesOf(azureDeliveryBoundedAndDeadLettered, {
        ...queue,
        inputs: { ...unbounded, deadLetteringOnMessageExpiration: false },
      }),
    ).toEqual([
      "maxDeliveryCount must be set between 1 and 10 (got the default)",
      "deadLetteringOnMessageExpiration must be true: expired messages would be dropped",
    ]);
    expect(
      await messagesOf(azureDeliveryBoundedAndDeadLettered, altered(queue, { maxDeliveryCount: 2000 })),
    ).toHaveLength(1);
    // The evidence queue never expires its messages, so it need not dead-letter on expiry.
    const evidence = recorded.one("azure-native:servicebus:Queue", "-dlq");
    expect(await messagesOf(azureDeliveryBoundedAndDeadLettered, evidence)).toEqual([]);
    const uploads = recorded.one("azure-native:eventgrid:SystemTopicEventSubscription", "-uploads");
    expect(
      await messagesOf(
        azureDeliveryBoundedAndDeadLettered,
        altered(uploads, { deadLetterWithResourceIdentity: undefined, retryPolicy: undefined }),
      ),
    ).toEqual([
      "retryPolicy.maxDeliveryAttempts must be set, at most 30",
      "a dead-letter destination is required: undeliverable events would be dropped",
    ]);
  });

  it("reject a role assignment of the campaigns app at subscription scope", async () => {
    const campaigns = recorded
      .ofType("azure-native:authorization:RoleAssignment")
      .filter((a) => a.name.startsWith("sms-campaigns-"));
    expect(campaigns.length).toBe(8);
    for (const assignment of campaigns) {
      expect(await messagesOf(azureRoleAssignmentScope, assignment)).toEqual([]);
    }
    expect(
      await messagesOf(azureRoleAssignmentScope, altered(campaigns[0], { scope: "/subscriptions/s" })),
    ).toEqual(['scope "/subscriptions/s" is broader than one resource']);
  });

  it("are not applicable to resources of other types", async () => {
    const alert = recorded.ofType("azure-native:monitor:MetricAlert")[0];
    for (const policy of AZURE_RESOURCE_POLICIES) {
      expect((await runResourcePolicy(policy, alert)).notApplicable).toBe(true);
    }
  });
});
