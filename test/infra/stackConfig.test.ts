import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { type Recorder, recorder, settled } from "./harness";

const recorded: Recorder = recorder();
let deployStack: typeof import("../../stacks/program").deployStack;
const noCode = () => {
  throw new Error("code must not be bundled for a stack that fails validation");
};

beforeAll(async () => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "aws", false);
  ({ deployStack } = await import("../../stacks/program"));
});

describe("stack validation before any resource exists", () => {
  it("rejects a bad AWS config, naming the key and what it allows, with zero resources registered", async () => {
    expect(() =>
      deployStack("aws", { streamRetentionHours: 9000 }, { awsCode: noCode, powertoolsVersion: "2.36.0" }),
    ).toThrow('config key "sms-campaigns:streamRetentionHours": must be an integer between 24 and 8760');
    await settled(recorded, 50);
    expect(recorded.resources).toHaveLength(0);
  });

  it("rejects an unknown key and an archive expiry shorter than a year, listing both", async () => {
    let message = "";
    try {
      deployStack(
        "aws",
        { shards: 4, archiveExpirationDays: 30 },
        { awsCode: noCode, powertoolsVersion: "2.36.0" },
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('config key "sms-campaigns:shards": unknown key');
    expect(message).toContain(
      'config key "sms-campaigns:archiveExpirationDays": must be an integer between 365 and 36500, or "never"',
    );
    await settled(recorded, 50);
    expect(recorded.resources).toHaveLength(0);
  });

  it.each([
    [
      { tickRate: "1 minutes" },
      '"sms-campaigns:journeys.tickRate": must be a rate between "1 minute" and "1 day"',
    ],
    [{ tickRate: "30 seconds" }, '"sms-campaigns:journeys.tickRate": must be a rate between'],
    [{ mps: 0 }, '"sms-campaigns:journeys.mps": must be an integer between 1 and 10000'],
    [
      { tickBudgetUsd: "free" },
      '"sms-campaigns:journeys.tickBudgetUsd": must be a number between 0.01 and 1000000',
    ],
    [
      { sendWindow: { startHour: 21, endHour: 8 } },
      '"sms-campaigns:journeys.sendWindow": startHour must be before endHour',
    ],
    [
      { enrollmentChunkRows: 0 },
      '"sms-campaigns:journeys.enrollmentChunkRows": must be an integer between 1 and 100000',
    ],
    [{ tickRates: "1 minute" }, '"sms-campaigns:journeys.tickRates": unknown key'],
  ])("rejects journeys config %j before any resource exists, naming the key", async (journeys, message) => {
    expect(() => deployStack("aws", { journeys }, { awsCode: noCode, powertoolsVersion: "2.36.0" })).toThrow(
      message,
    );
    await settled(recorded, 50);
    expect(recorded.resources).toHaveLength(0);
  });

  it("reads the tick rate as EventBridge Scheduler writes it", async () => {
    const { rateSeconds } = await import("../../providers/aws/infra/config");
    expect(rateSeconds("1 minute")).toBe(60);
    expect(rateSeconds("5 minutes")).toBe(300);
    expect(rateSeconds("2 hours")).toBe(7200);
    expect(rateSeconds("1 day")).toBe(86_400);
    expect(rateSeconds("1 minutes")).toBeUndefined();
    expect(rateSeconds("5 minute")).toBeUndefined();
    expect(rateSeconds("0 minutes")).toBeUndefined();
  });

  it("rejects two origination identities at once", () => {
    expect(() =>
      deployStack(
        "aws",
        {
          phoneNumberArn: "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1",
          requestPhoneNumber: { isoCountryCode: "US", numberType: "TOLL_FREE" },
        },
        { awsCode: noCode, powertoolsVersion: "2.36.0" },
      ),
    ).toThrow("set at most one of phoneNumberArn, poolArn, requestPhoneNumber");
  });

  it.each(["azure", "gcp"])(
    "validates the %s stack's config before any resource exists, naming the key",
    async (cloud) => {
      expect(() =>
        deployStack(cloud, { batchSize: 0 }, { awsCode: noCode, powertoolsVersion: "2.36.0" }),
      ).toThrow('config key "sms-campaigns:batchSize": must be an integer between 1 and 10000');
      await settled(recorded, 50);
      expect(recorded.resources).toHaveLength(0);
    },
  );

  it("rejects a stack name that names no cloud", () => {
    expect(() => deployStack("prod", {}, { awsCode: noCode, powertoolsVersion: "2.36.0" })).toThrow(
      /must be aws, azure, gcp/,
    );
  });
});
