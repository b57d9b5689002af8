import { randomUUID } from "node:crypto";
import { type Container, CosmosClient, type Database } from "@azure/cosmos";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll } from "vitest";
import {
  insecureAgent,
  type RunningAzurite,
  startAzuriteBlob,
  startCosmosServer,
} from "../../providers/azure/emulators";
import { CONTAINERS, type ContainerId } from "../../providers/azure/runtime/containers";
import { ENV } from "../../providers/azure/runtime/settings";
import type { RunningEmulator } from "../../providers/local/emulators/kinesis";
import { CONNECTION_STRING } from "../unit/azure/fakes";

export interface AzureEmulatorFixture {
  cosmos(): RunningEmulator;
  azurite(): RunningAzurite;
  /** A database of the calling file's own on cosmosdb-server. */
  database(): Database;
  /** The blob container created on Azurite at start. */
  blobs(): ContainerClient;
}

interface Running {
  cosmos: RunningEmulator;
  azurite: RunningAzurite;
  database: Database;
  blobs: ContainerClient;
}

/**
 * Starts cosmosdb-server and Azurite once for the calling test file (beforeAll), with a database of
 * the file's own and the blob container `blobContainer`, and stops both by process group afterwards
 * (afterAll). Set EMULATOR_LOG=1 to see their output.
 */
export const useAzureEmulators = (blobContainer: string): AzureEmulatorFixture => {
  const log = process.env["EMULATOR_LOG"] ? (line: string) => console.log(line) : undefined;
  let cosmos: RunningEmulator | undefined;
  let azurite: RunningAzurite | undefined;
  let running: Running | undefined;
  beforeAll(async () => {
    [cosmos, azurite] = await Promise.all([startCosmosServer({ log }), startAzuriteBlob({ log })]);
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: "emulator", agent: insecureAgent });
    const { database } = await client.databases.createIfNotExists({ id: `sms-${randomUUID().slice(0, 8)}` });
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      blobContainer,
    );
    await blobs.create();
    running = { cosmos, azurite, database, blobs };
  }, 60_000);
  afterAll(async () => {
    await Promise.all([cosmos?.process.stop(), azurite?.process.stop()]);
  });
  const started = (): Running => {
    if (!running) throw new Error("the Azure emulators are not running (used outside a test?)");
    return running;
  };
  return {
    cosmos: () => started().cosmos,
    azurite: () => started().azurite,
    database: () => started().database,
    blobs: () => started().blobs,
  };
};

/** The containers the campaigns app's settings name, by their CONTAINERS id. */
export type CampaignsAppContainers = Record<
  "journeys" | "subscribers" | "ledger" | "optOuts" | "optOutReviews" | "campaigns",
  string
>;

/**
 * The campaigns app's settings as infra/pipeline.ts sets them, aimed at this fixture's Cosmos
 * database, containers and Azurite; Service Bus, Event Hubs, ACS and ingestion are placeholders
 * for the fakes the tests give campaignPortsOf. `extra` adds or overrides settings.
 */
export const campaignsAppSettings = (
  fixture: AzureEmulatorFixture,
  names: CampaignsAppContainers,
  extra: Record<string, string> = {},
): Record<string, string> => ({
  [ENV.serviceBusNamespace]: "sms.servicebus.windows.net",
  [ENV.deadLetterQueue]: "sms-dead-letters",
  [ENV.appInsightsConnectionString]: CONNECTION_STRING,
  [ENV.cosmosEndpoint]: "https://cosmos.invalid",
  [ENV.cosmosDatabase]: fixture.database().id,
  [ENV.eventHubsNamespace]: "sms.servicebus.windows.net",
  [ENV.eventHubName]: "sms-events-stream",
  [ENV.journeysContainer]: names.journeys,
  [ENV.subscribersContainer]: names.subscribers,
  [ENV.sendLedgerContainer]: names.ledger,
  [ENV.optOutsContainer]: names.optOuts,
  [ENV.optOutReviewsContainer]: names.optOutReviews,
  [ENV.campaignsContainer]: names.campaigns,
  [ENV.acsEndpoint]: "https://acs.invalid",
  [ENV.audienceBlobEndpoint]: "https://audience.invalid",
  [ENV.audienceContainer]: fixture.blobs().containerName,
  [ENV.enrollmentQueue]: "sms-enrollment",
  STORAGE_CONNECTION_STRING: fixture.azurite().connectionString,
  ...extra,
});

/** A fresh container of this fixture's database, partitioned as infra/dataStore.ts does `id`. */
export const freshContainer = async (fixture: AzureEmulatorFixture, id: ContainerId): Promise<Container> => {
  const { container } = await fixture.database().containers.createIfNotExists({
    id: `${id}-${randomUUID().slice(0, 8)}`,
    partitionKey: { paths: [CONTAINERS[id].partitionKey] },
  });
  return container;
};
