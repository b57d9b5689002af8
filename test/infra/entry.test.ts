import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { type Recorder, recorder, resolveOutputs, settled } from "./harness";

const recorded: Recorder = recorder();

beforeAll(async () => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "aws", false);
});

describe("the Pulumi entry (stacks/index.ts)", () => {
  it("fails on a bad config key before registering any resource", async () => {
    pulumi.runtime.setAllConfig({ "aws:region": "us-east-1", "sms-campaigns:streamRetentionHours": "1" });
    await expect(import("../../stacks/index")).rejects.toThrow(
      'config key "sms-campaigns:streamRetentionHours": must be an integer between 24 and 8760',
    );
    await settled(recorded, 50);
    expect(recorded.resources).toHaveLength(0);
  });

  it("reads the stack's config, bundles the real handlers and exports the stack outputs", async () => {
    vi.resetModules();
    pulumi.runtime.setAllConfig({
      "aws:region": "us-east-1",
      "sms-campaigns:batchSize": "50",
      "sms-campaigns:alarms": JSON.stringify({ deliveryRatePercent: 97 }),
      "sms-campaigns:revocationSlaMinutes": "7",
    });
    const { default: stackOutputs } = await import("../../stacks/index");
    if (!("streamName" in stackOutputs)) throw new Error("the aws stack should export AWS outputs");
    const outputs = (await resolveOutputs({
      streamName: stackOutputs.streamName,
      tables: stackOutputs.tables,
      dashboardUrl: stackOutputs.dashboardUrl,
      athenaTable: stackOutputs.athenaTable,
      revocationClocksTable: stackOutputs.revocationClocksTable,
      revocationSlaMinutes: stackOutputs.revocationSlaMinutes,
    })) as Record<string, unknown>;
    await settled(recorded);
    expect(outputs).toMatchObject({
      streamName: "sms-events-stream",
      tables: { responses: "sms-responses" },
      athenaTable: "sms_events",
      dashboardUrl: expect.stringContaining("cloudwatch"),
      revocationClocksTable: "sms-revocation-clocks",
      // The window the ticker judges by, for smsctl compliance report --stack.
      revocationSlaMinutes: 7,
    });
    const streamMappings = recorded
      .ofType("aws:lambda/eventSourceMapping:EventSourceMapping")
      .filter((m) => m.inputs.eventSourceArn.includes(":kinesis:"));
    expect(streamMappings).toHaveLength(3);
    for (const mapping of streamMappings) {
      expect(mapping.inputs.batchSize).toBe(50);
    }
    const deliveryAlarm = recorded
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .find((a) => a.inputs.metricName === "DeliveryRate");
    expect(deliveryAlarm?.inputs.threshold).toBe(97);
    for (const fn of recorded.ofType("aws:lambda/function:Function")) {
      const assets = await (fn.inputs.code as pulumi.asset.AssetArchive).assets;
      expect(Object.keys(assets)).toEqual(["index.mjs"]);
      const code = await (assets["index.mjs"] as pulumi.asset.StringAsset).text;
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
    }
  });
});
