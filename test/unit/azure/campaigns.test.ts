import { describe, expect, it } from "vitest";
import { BLOB_CREATED, chunkRequestOf } from "../../../providers/azure/handlers/enrollment";
import { tickerSettingsOf } from "../../../providers/azure/runtime/campaign-ports";
import { connectAzureStack } from "../../../providers/azure/runtime/campaign-stack";
import { counterPath, incrementsOf } from "../../../providers/azure/runtime/campaign-store";
import { handOffIdOf } from "../../../providers/azure/runtime/enrollment-queue";
import { CampaignsEnvSchema, parseEnv } from "../../../providers/azure/runtime/settings";
import { CONNECTION_STRING } from "./fakes";

const subject = (key: string) => `/blobServices/default/containers/audience/blobs/${key}`;

describe("the enrollment queue's messages", () => {
  it.each([
    [
      "a BlobCreated event (Event Grid schema)",
      { eventType: BLOB_CREATED, subject: subject("campaigns/spring-1/audience.csv"), data: {} },
      { campaignId: "spring-1", key: "campaigns/spring-1/audience.csv" },
    ],
    [
      "the same event as a JSON string body",
      JSON.stringify({ eventType: BLOB_CREATED, subject: subject("campaigns/spring-1/audience.csv") }),
      { campaignId: "spring-1", key: "campaigns/spring-1/audience.csv" },
    ],
    [
      "a CloudEvents BlobCreated",
      { type: BLOB_CREATED, subject: subject("campaigns/spring-1/audience.csv") },
      { campaignId: "spring-1", key: "campaigns/spring-1/audience.csv" },
    ],
    [
      "a hand-off",
      { kind: "enrollment-chunk", campaignId: "spring-1", fromLine: 2001, upload: '"0x1"' },
      { campaignId: "spring-1", key: "campaigns/spring-1/audience.csv", fromLine: 2001, upload: '"0x1"' },
    ],
  ])("read %s", (_, message, expected) => {
    expect(chunkRequestOf(message)).toEqual(expected);
  });

  it("say why a message is not a chunk", () => {
    expect(
      chunkRequestOf({ eventType: BLOB_CREATED, subject: subject("campaigns/UP/audience.csv") }),
    ).toEqual({
      invalid: `not a campaign audience upload: ${subject("campaigns/UP/audience.csv")}`,
    });
    expect(chunkRequestOf("not json")).toEqual({
      invalid: "neither a BlobCreated event nor an enrollment hand-off",
    });
    expect(chunkRequestOf({ kind: "enrollment-chunk", campaignId: "c-1", fromLine: 0 })).toHaveProperty(
      "invalid",
    );
  });

  it("name a hand-off by campaign, line and upload, so a retried chunk's hand-off is a duplicate and a new upload's is not", () => {
    const next = { campaignId: "spring-1", fromLine: 2001, upload: '"0x1"' };
    expect(handOffIdOf(next)).toBe(handOffIdOf({ ...next }));
    expect(handOffIdOf(next)).not.toBe(handOffIdOf({ ...next, upload: '"0x2"' }));
    expect(handOffIdOf(next)).not.toBe(handOffIdOf({ ...next, fromLine: 4001 }));
  });
});

describe("the campaign store's counter patches", () => {
  it("escape counter names as JSON Pointer segments and split at 10 operations a request", () => {
    expect(counterPath("held:quiet_hours")).toBe("/counts/held:quiet_hours");
    expect(counterPath("a/b~c")).toBe("/counts/a~1b~0c");
    const delta = Object.fromEntries(Array.from({ length: 23 }, (_, i) => [`n${i}`, i]));
    const requests = incrementsOf(delta);
    expect(requests.map((r) => r.length)).toEqual([10, 10, 2]); // n0 adds 0: dropped
    expect(requests[0][0]).toEqual({ op: "incr", path: "/counts/n1", value: 1 });
  });
});

describe("the campaigns app settings", () => {
  const env = {
    SERVICE_BUS_NAMESPACE: "bus.servicebus.windows.net",
    DEAD_LETTER_QUEUE: "dlq",
    APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
    COSMOS_ENDPOINT: "https://c",
    COSMOS_DATABASE: "sms",
    EventHubConnection__fullyQualifiedNamespace: "events.servicebus.windows.net",
    EVENT_HUB_NAME: "sms-events-stream",
    SEND_LEDGER_CONTAINER: "l",
    JOURNEYS_CONTAINER: "j",
    SUBSCRIBERS_CONTAINER: "s",
    OPT_OUTS_CONTAINER: "o",
    OPT_OUT_REVIEWS_CONTAINER: "v",
    CAMPAIGNS_CONTAINER: "c",
    ACS_ENDPOINT: "https://acs",
    AUDIENCE_BLOB_ENDPOINT: "https://a.blob.core.windows.net/",
    AUDIENCE_CONTAINER: "audience",
    ENROLLMENT_QUEUE: "sms-enrollment",
  };

  it("default to one part a second every minute, 08:00-21:00, no budget", () => {
    expect(tickerSettingsOf(parseEnv(CampaignsEnvSchema, env))).toEqual({
      mps: 1,
      intervalSeconds: 60,
      policy: { window: { startHour: 8, endHour: 21 } },
    });
  });

  it("carry the configured rate, window and budget, and name a bad one", () => {
    const settings = tickerSettingsOf(
      parseEnv(CampaignsEnvSchema, {
        ...env,
        TICK_MPS: "20",
        TICK_INTERVAL_SECONDS: "300",
        TICK_BUDGET_USD: "12.5",
        SEND_WINDOW_START_HOUR: "9",
        SEND_WINDOW_END_HOUR: "20",
      }),
    );
    expect(settings).toEqual({
      mps: 20,
      intervalSeconds: 300,
      budgetUsd: 12.5,
      policy: { window: { startHour: 9, endHour: 20 } },
    });
    expect(() => parseEnv(CampaignsEnvSchema, { ...env, TICK_BUDGET_USD: "-1" })).toThrow(
      /TICK_BUDGET_USD must be a positive number of USD/,
    );
    const { ENROLLMENT_QUEUE, ...missing } = env;
    expect(() => parseEnv(CampaignsEnvSchema, missing)).toThrow(/ENROLLMENT_QUEUE is required/);
  });
});

describe("connectAzureStack's outputs", () => {
  const outputs = {
    cosmosEndpoint: "https://sms-data.documents.azure.com:443/",
    cosmosDatabase: "sms",
    campaignsContainer: "sms-campaigns",
    audienceBlobEndpoint: "https://smsaud1234.blob.core.windows.net/",
    audienceContainer: "audience",
  };

  it("name the missing key in one line", () => {
    const { audienceContainer, ...missing } = outputs;
    expect(() => connectAzureStack(missing)).toThrow('Azure stack outputs: "audienceContainer" is missing');
    expect(() => connectAzureStack({ ...outputs, cosmosDatabase: "" })).toThrow(/"cosmosDatabase" is empty/);
    expect(() => connectAzureStack(undefined)).toThrow(/"cosmosEndpoint" is missing/);
  });

  it("say where the stack is", () => {
    const stack = connectAzureStack(outputs, { credential: { getToken: async () => null } });
    expect(stack.describe()).toBe(
      "azure cosmos sms-data.documents.azure.com container audience on smsaud1234.blob.core.windows.net",
    );
  });
});
