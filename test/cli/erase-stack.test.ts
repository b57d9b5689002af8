/**
 * `smsctl erase --outputs` before it reaches any store: the cloud picked from the outputs, and a
 * missing or bad output named in one line, exit 2. Connecting builds clients only: nothing here
 * reaches a cloud or an emulator (the emulator runs are in test/integration/<cloud>/erasure.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Firestore } from "@google-cloud/firestore";
import { Storage } from "@google-cloud/storage";
import { afterAll, describe, expect, it } from "vitest";
import { connectErasure } from "../../cli/commands/erase";
import type { ErasureStack } from "../../core/processing/erasure";
import { connectAzureErasure } from "../../providers/azure/runtime/erasure-stack";
import { connectGcpErasure } from "../../providers/gcp/runtime/erasure-stack";
import { runSmsctl } from "../support/smsctl";

const dir = mkdtempSync(join(tmpdir(), "smsctl-erase-outputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stores = {
  responses: "sms-responses",
  optOuts: "sms-opt-outs",
  journeys: "sms-journeys",
  messages: "sms-messages",
  subscribers: "sms-subscribers",
  pendingReceipts: "sms-pending-receipts",
  optOutReviews: "sms-opt-out-reviews",
};
const azure = {
  cloud: "azure",
  cosmosEndpoint: "https://sms.documents.azure.com:443/",
  cosmosDatabase: "sms",
  archiveBlobEndpoint: "https://smsarchive.blob.core.windows.net/",
  archiveContainer: "archive",
  containers: { ...stores, consentLog: "sms-consent-log", revocations: "sms-revocations" },
};
const gcp = {
  cloud: "gcp",
  project: "sms-test",
  region: "europe-west1",
  firestoreDatabase: "sms",
  archiveBucket: "sms-archive",
  collections: { ...stores, consentLog: "sms-consent-log", revocations: "sms-revocations" },
};
const azureConnection = { cosmosKey: "a2V5", storageConnectionString: "UseDevelopmentStorage=true" };
const gcpClients = () => ({ firestore: new Firestore({ projectId: "sms-test" }), storage: new Storage() });
const storeNames = (stack: ErasureStack) =>
  stack.deps.stores.map((store) => (store as object).constructor.name);

const outputsFile = (name: string, outputs: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(outputs));
  return path;
};

describe("smsctl erase --outputs on Azure and GCP: the outputs", () => {
  it("name a missing output in one line, exit 2, nothing on stdout", async () => {
    const { responses: _, ...withoutResponses } = azure.containers;
    const file = outputsFile("azure.json", { ...azure, containers: withoutResponses });
    const run = await runSmsctl(["erase", "--phone", "+12125550101", "--outputs", file]);
    expect([run.code, run.stdout]).toEqual([2, ""]);
    expect(run.stderr).toBe(
      'smsctl: Azure stack outputs: "containers.responses" is missing or invalid (a non-empty name, or a URL for an endpoint); is this an Azure stack of sms-campaigns?\n',
    );
  }, 60_000);

  it("pick the connector by the outputs' cloud, as the other stack commands do", async () => {
    await expect(connectErasure({ ...gcp, archiveBucket: "" })).rejects.toThrow(
      'GCP stack outputs: "archiveBucket" is missing or invalid (a non-empty name, or a URL for an endpoint); is this a GCP stack of sms-campaigns?',
    );
    await expect(connectErasure({ ...azure, cloud: "gcp" })).rejects.toThrow(/^GCP stack outputs: "project"/);
    await expect(connectErasure({ ...gcp, cloud: "azure" })).rejects.toThrow(
      /^Azure stack outputs: "cosmosEndpoint"/,
    );
  });

  it("refuse an endpoint that is not a URL, and a stack without its collections", () => {
    expect(() => connectAzureErasure({ ...azure, cosmosEndpoint: "sms.documents" }, azureConnection)).toThrow(
      /^Azure stack outputs: "cosmosEndpoint" is missing/,
    );
    const { collections: _, ...withoutCollections } = gcp;
    expect(() => connectGcpErasure(withoutCollections, gcpClients())).toThrow(
      /^GCP stack outputs: "collections" is missing/,
    );
  });

  it("give every eraser the local form has, the consent log and clocks only when named (older stacks)", async () => {
    const azureStack = connectAzureErasure(azure, azureConnection);
    expect(storeNames(azureStack)).toEqual([
      "CosmosResponsesStore",
      "CosmosMessageLog",
      "CosmosJourneyStore",
      "CosmosOptOutReviewStore",
      "CosmosPendingReceiptStore",
      "CosmosOptOutStore",
      "CosmosConsentLog",
      "CosmosRevocationClockStore",
      "CosmosSubscriberDirectory",
    ]);
    expect(azureStack.deps.consentLog).toBeDefined();
    expect(azureStack.describe()).toBe(
      "azure cosmos sms.documents.azure.com database sms, archive archive on smsarchive.blob.core.windows.net",
    );
    const olderAzure = connectAzureErasure({ ...azure, containers: stores }, azureConnection);
    expect(storeNames(olderAzure)).not.toContain("CosmosConsentLog");
    expect(storeNames(olderAzure)).not.toContain("CosmosRevocationClockStore");
    expect(olderAzure.deps.consentLog).toBeUndefined();

    const gcpStack = connectGcpErasure(gcp, gcpClients());
    expect(storeNames(gcpStack)).toEqual([
      "FirestoreResponsesStore",
      "FirestoreMessageLog",
      "FirestoreJourneyStore",
      "FirestoreOptOutReviewStore",
      "FirestorePendingReceiptStore",
      "FirestoreOptOutStore",
      "FirestoreConsentLog",
      "FirestoreRevocationClockStore",
      "FirestoreSubscriberDirectory",
    ]);
    expect(gcpStack.describe()).toBe("gcp sms-test europe-west1 database sms, bucket sms-archive");
    const olderGcp = connectGcpErasure({ ...gcp, collections: stores }, gcpClients());
    expect(storeNames(olderGcp)).toHaveLength(7);
    expect(olderGcp.deps.consentLog).toBeUndefined();
    await Promise.all([azureStack, olderAzure, gcpStack, olderGcp].map((stack) => stack.close?.()));
  });
});
