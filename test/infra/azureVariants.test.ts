import { beforeAll, describe, expect, it } from "vitest";
import { azureRecorder, deployAzureUnderMocks } from "./azureHarness";

const recorded = azureRecorder();

beforeAll(async () => {
  await deployAzureUnderMocks(recorded, {
    eventHubsTier: "Premium",
    partitionCount: 8,
    captureEnabled: true,
    archiveExpirationDays: "never",
    initialOffset: "fromEnd",
  });
}, 60_000);

describe("the Azure pipeline, Premium with Capture and no archive expiry", () => {
  it("keeps events 90 days on Premium (the one-year default clamped) across 8 partitions", () => {
    const hub = recorded.one("azure-native:eventhub:EventHub");
    expect(hub.inputs.retentionDescription.retentionTimeInHours).toBe(2160);
    expect(hub.inputs.partitionCount).toBe(8);
    expect(recorded.one("azure-native:eventhub:Namespace").inputs.sku.tier).toBe("Premium");
  });

  it("captures with the namespace's own identity into the archive container, the only place it may write", () => {
    const namespace = recorded.one("azure-native:eventhub:Namespace");
    expect(namespace.inputs.identity).toEqual({ type: "SystemAssigned" });
    const hub = recorded.one("azure-native:eventhub:EventHub");
    expect(hub.inputs.captureDescription).toMatchObject({
      enabled: true,
      encoding: "Avro",
      destination: { identity: { type: "SystemAssigned" }, blobContainer: "archive" },
    });
    const capture = recorded
      .ofType("azure-native:authorization:RoleAssignment")
      .filter((a) => a.name.startsWith("sms-events-capture-"));
    expect(capture).toHaveLength(1);
    expect(capture[0].inputs.scope).toMatch(/BlobContainer\/archive$/);
  });

  it('never deletes archived events when expiry is "never", but still tiers them', () => {
    const [rule] = recorded.one("azure-native:storage:ManagementPolicy").inputs.policy.rules;
    expect(rule.definition.actions.baseBlob.delete).toBeUndefined();
    expect(rule.definition.actions.baseBlob.tierToArchive).toEqual({ daysAfterModificationGreaterThan: 180 });
  });

  it("starts new consumer groups at the newest event when asked", () => {
    const consumers = recorded
      .ofType("azure-native:web:WebApp")
      .filter((app) => !app.name.endsWith("-campaigns-app"));
    expect(consumers).toHaveLength(3);
    for (const app of consumers) {
      const settings = app.inputs.siteConfig.appSettings as { name: string; value: string }[];
      expect(settings.find((s) => s.name.endsWith("initialOffsetOptions__type"))?.value).toBe("fromEnd");
    }
  });
});
