import { describe, expect, it } from "vitest";
import { responsesSettingsOf } from "../../../providers/azure/handlers/responses";
import {
  eventHubRetentionHours,
  parseAzureStackConfig,
  tickIntervalSecondsOf,
} from "../../../providers/azure/infra/config";
import { storageAccountNameOf } from "../../../providers/azure/infra/naming";
import { BlobArchiveStore } from "../../../providers/azure/runtime/archive-store";
import { createAzurePorts } from "../../../providers/azure/runtime/azure-ports";
import { CosmosCampaignStore } from "../../../providers/azure/runtime/campaign-store";
import { cosmosId } from "../../../providers/azure/runtime/cosmos-support";
import { parseEnv, ResponsesEnvSchema, SettingsError } from "../../../providers/azure/runtime/settings";
import { NoSenderNumber } from "../../../providers/azure/runtime/sms-sender";
import { CONNECTION_STRING, fakeProducer } from "./fakes";

describe("the Azure stack config", () => {
  it("accepts the shared keys alone, with Azure defaults", () => {
    const config = parseAzureStackConfig({ streamRetentionHours: 168 });
    expect(config).toMatchObject({
      eventHubsTier: "Standard",
      partitionCount: 4,
      archiveExpirationDays: 730,
    });
  });

  it("clamps the stream retention to the tier's maximum: 7 days Standard, 90 days Premium", () => {
    expect(eventHubRetentionHours(8760, "Standard")).toBe(168);
    expect(eventHubRetentionHours(8760, "Premium")).toBe(2160);
    expect(eventHubRetentionHours(48, "Premium")).toBe(48);
  });

  it("names each bad key: an archive expiry under a year, a tiering order that goes backwards, an unknown key", () => {
    expect(() => parseAzureStackConfig({ archiveExpirationDays: 90 })).toThrow(
      'config key "sms-campaigns:archiveExpirationDays": must be an integer between 365 and 36500, or "never"',
    );
    expect(() => parseAzureStackConfig({ archiveCoolAfterDays: 200, archiveColdAfterDays: 100 })).toThrow(
      /archiveColdAfterDays": must be more than archiveCoolAfterDays \(200\)/,
    );
    expect(() => parseAzureStackConfig({ shardCount: 2 })).toThrow(/"sms-campaigns:shardCount": unknown key/);
    expect(() => parseAzureStackConfig({ smsSenderNumber: "555" })).toThrow(/E\.164/);
  });

  it("reads the ticker's fixed-rate NCRONTAB schedule as an interval, and names each bad campaign key", () => {
    expect(tickIntervalSecondsOf("0 */1 * * * *")).toBe(60);
    expect(tickIntervalSecondsOf("*/30 * * * * *")).toBe(30);
    expect(tickIntervalSecondsOf("0 */15 * * * *")).toBe(900);
    expect(tickIntervalSecondsOf("0 0 */6 * * *")).toBe(21_600);
    expect(tickIntervalSecondsOf("0 */7 * * * *")).toBeUndefined(); // 7 does not divide 60
    expect(tickIntervalSecondsOf("0 30 9 * * 1-5")).toBeUndefined();
    expect(parseAzureStackConfig({})).toMatchObject({
      tickSchedule: "0 */1 * * * *",
      tickMps: 1,
      sendWindow: { startHour: 8, endHour: 21 },
      enrollmentChunkRows: 2000,
    });
    expect(() => parseAzureStackConfig({ tickSchedule: "0 30 9 * * *" })).toThrow(
      /"sms-campaigns:tickSchedule": must be a fixed-rate NCRONTAB schedule/,
    );
    expect(() => parseAzureStackConfig({ tickMps: "0" })).toThrow(
      /"sms-campaigns:tickMps": must be an integer/,
    );
    expect(() => parseAzureStackConfig({ sendWindow: { startHour: 20, endHour: 9 } })).toThrow(
      /"sms-campaigns:sendWindow.endHour": must be more than sendWindow.startHour \(20\)/,
    );
    expect(() => parseAzureStackConfig({ enrollmentChunkRows: 10 })).toThrow(/enrollmentChunkRows/);
    expect(parseAzureStackConfig({ tickBudgetUsd: "25.5" }).tickBudgetUsd).toBe(25.5);
  });

  it("derives valid, distinct storage account names per deployment and purpose", () => {
    const archive = storageAccountNameOf("sms-archive", "sms-campaigns-azure", "archive");
    const functions = storageAccountNameOf("sms-archive", "sms-campaigns-azure", "functions");
    expect(archive).toMatch(/^[a-z0-9]{3,24}$/);
    expect(functions).toMatch(/^[a-z0-9]{3,24}$/);
    expect(archive).not.toBe(functions);
    expect(storageAccountNameOf("sms-archive", "sms-campaigns-azure-eu", "archive")).not.toBe(archive);
  });
});

describe("the Azure function settings", () => {
  it("name every missing setting in one error", () => {
    const error = (() => {
      try {
        parseEnv(ResponsesEnvSchema, { SERVICE_BUS_NAMESPACE: "bus.servicebus.windows.net" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SettingsError);
    expect(String(error)).toMatch(/COSMOS_ENDPOINT is required/);
    expect(String(error)).toMatch(/DEAD_LETTER_QUEUE is required/);
    expect(String(error)).toMatch(/APPLICATIONINSIGHTS_CONNECTION_STRING is required/);
  });

  it("reject a record attempt count outside 1..10 and notification patterns that are not JSON", () => {
    const base = {
      SERVICE_BUS_NAMESPACE: "b",
      DEAD_LETTER_QUEUE: "q",
      APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
      COSMOS_ENDPOINT: "https://c",
      COSMOS_DATABASE: "d",
      RESPONSES_CONTAINER: "r",
      OPT_OUTS_CONTAINER: "o",
      OPT_OUT_REVIEWS_CONTAINER: "v",
      MESSAGE_LOG_CONTAINER: "m",
      JOURNEYS_CONTAINER: "j",
      SUBSCRIBERS_CONTAINER: "s",
      CAMPAIGNS_CONTAINER: "c",
      NOTIFICATION_TOPIC: "t",
      HELP_TEXT: "h",
      STOP_CONFIRMATION_TEXT: "s",
      ACS_ENDPOINT: "https://acs",
    };
    expect(parseEnv(ResponsesEnvSchema, base).RECORD_MAX_ATTEMPTS).toBe(3);
    expect(() => parseEnv(ResponsesEnvSchema, { ...base, RECORD_MAX_ATTEMPTS: "0" })).toThrow(
      /RECORD_MAX_ATTEMPTS must be an integer between 1 and 10/,
    );
    expect(() => parseEnv(ResponsesEnvSchema, { ...base, NOTIFICATION_PATTERNS: "[oops" })).toThrow(
      /NOTIFICATION_PATTERNS must be valid JSON/,
    );
    // The phone hash's salt reaches the responses consumer only when the app setting is there.
    const salted = parseEnv(ResponsesEnvSchema, { ...base, PHONE_HASH_SALT: "a-long-random-salt" });
    expect(responsesSettingsOf(salted).phoneHashSalt).toBe("a-long-random-salt");
    expect(responsesSettingsOf(parseEnv(ResponsesEnvSchema, base))).not.toHaveProperty("phoneHashSalt");
  });

  it("read the opt-out thresholds as JSON, default when absent, and refuse review at or above optOut", () => {
    const base = {
      SERVICE_BUS_NAMESPACE: "b",
      DEAD_LETTER_QUEUE: "q",
      APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
      COSMOS_ENDPOINT: "https://c",
      COSMOS_DATABASE: "d",
      RESPONSES_CONTAINER: "r",
      OPT_OUTS_CONTAINER: "o",
      OPT_OUT_REVIEWS_CONTAINER: "v",
      MESSAGE_LOG_CONTAINER: "m",
      JOURNEYS_CONTAINER: "j",
      SUBSCRIBERS_CONTAINER: "s",
      CAMPAIGNS_CONTAINER: "c",
      NOTIFICATION_TOPIC: "t",
      HELP_TEXT: "h",
      STOP_CONFIRMATION_TEXT: "s",
      ACS_ENDPOINT: "https://acs",
    };
    expect(parseEnv(ResponsesEnvSchema, base).OPT_OUT_THRESHOLDS).toEqual({ optOut: 0.9, review: 0.6 });
    expect(
      parseEnv(ResponsesEnvSchema, { ...base, OPT_OUT_THRESHOLDS: '{"optOut":0.95,"review":0.5}' })
        .OPT_OUT_THRESHOLDS,
    ).toEqual({ optOut: 0.95, review: 0.5 });
    expect(() =>
      parseEnv(ResponsesEnvSchema, { ...base, OPT_OUT_THRESHOLDS: '{"optOut":0.5,"review":0.7}' }),
    ).toThrow(/OPT_OUT_THRESHOLDS review must be below optOut/);
    expect(() =>
      parseEnv(ResponsesEnvSchema, { ...base, OPT_OUT_THRESHOLDS: '{"optOut":2,"review":0.5}' }),
    ).toThrow(/OPT_OUT_THRESHOLDS.optOut must be a number between 0 and 1/);
  });
});

describe("createAzurePorts", () => {
  const env = {
    SERVICE_BUS_NAMESPACE: "bus.servicebus.windows.net",
    SERVICE_BUS_CONNECTION_STRING:
      "Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=a2V5",
    DEAD_LETTER_QUEUE: "dlq",
    APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
    COSMOS_ENDPOINT: "https://localhost:8081",
    COSMOS_KEY: "a2V5",
    COSMOS_DATABASE: "sms",
    RESPONSES_CONTAINER: "responses",
    OPT_OUTS_CONTAINER: "optOuts",
    OPT_OUT_REVIEWS_CONTAINER: "optOutReviews",
    MESSAGE_LOG_CONTAINER: "messages",
    SEND_LEDGER_CONTAINER: "ledger",
    JOURNEYS_CONTAINER: "journeys",
    SUBSCRIBERS_CONTAINER: "subscribers",
    CAMPAIGNS_CONTAINER: "campaigns",
    NOTIFICATION_TOPIC: "notifications",
    HELP_TEXT: "help",
    STOP_CONFIRMATION_TEXT: "stop",
    ACS_ENDPOINT: "https://acs.communication.azure.com",
    ARCHIVE_BLOB_ENDPOINT: "http://127.0.0.1:10000/devstoreaccount1",
    ARCHIVE_CONTAINER: "archive",
    EventHubConnection__fullyQualifiedNamespace: "events.servicebus.windows.net",
    EVENT_HUB_NAME: "sms-events-stream",
  };

  it("builds every port from settings and injected clients, with no sender when no number is configured", async () => {
    const opened: string[] = [];
    const { producer } = fakeProducer();
    const ports = createAzurePorts(env, {
      clients: {
        cosmos: (name) => {
          opened.push(name);
          return {} as never;
        },
        eventHub: producer,
      },
    });
    expect(opened.sort()).toEqual([
      "campaigns",
      "journeys",
      "ledger",
      "messages",
      "optOutReviews",
      "optOuts",
      "responses",
      "subscribers",
    ]);
    expect(ports.campaigns).toBeInstanceOf(CosmosCampaignStore);
    expect(ports.archive).toBeInstanceOf(BlobArchiveStore);
    expect(ports.sender).toBeInstanceOf(NoSenderNumber);
    expect(await ports.sender.send({} as never)).toMatchObject({ status: "failed", retryable: false });
    expect(await ports.publisher.publish([])).toEqual({ failed: [] });
  });

  it("fails before building anything when a setting is missing, naming it", () => {
    const { EVENT_HUB_NAME, ...missing } = env;
    expect(() => createAzurePorts(missing)).toThrow(/EVENT_HUB_NAME is required/);
  });
});

describe("Cosmos item ids", () => {
  it("encode the characters Cosmos forbids and keep ids within 255 characters", () => {
    expect(cosmosId("campaign/a#b?c\\d")).not.toMatch(/[/#?\\]/);
    expect(cosmosId("x".repeat(300))).toHaveLength(71);
    expect(cosmosId("a")).not.toBe(cosmosId("b"));
  });
});
