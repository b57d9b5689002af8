import { randomUUID } from "node:crypto";
import { CosmosClient, type Database } from "@azure/cosmos";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll } from "vitest";
import {
  insecureAgent,
  type RunningAzurite,
  startAzuriteBlob,
  startCosmosServer,
} from "../../providers/azure/emulators";
import type { RunningEmulator } from "../../providers/local/emulators/kinesis";

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
