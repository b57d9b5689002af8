/**
 * The Cosmos DB and Blob Storage adapters against local emulators (started here, stopped by
 * process group): @vercel/cosmosdb-server and Azurite. Each port's contract suite runs on them.
 */
import { randomUUID } from "node:crypto";
import { CosmosClient, type Database } from "@azure/cosmos";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  insecureAgent,
  type RunningAzurite,
  startAzuriteBlob,
  startCosmosServer,
} from "../../../providers/azure/emulators";
import { BlobArchiveStore } from "../../../providers/azure/runtime/archive-store";
import { CONTAINERS, type ContainerId } from "../../../providers/azure/runtime/containers";
import { CosmosJourneyStore } from "../../../providers/azure/runtime/journey-store";
import { CosmosMessageLog } from "../../../providers/azure/runtime/message-log";
import { CosmosOptOutStore } from "../../../providers/azure/runtime/opt-out-store";
import { CosmosResponsesStore } from "../../../providers/azure/runtime/responses-store";
import { CosmosSendLedger } from "../../../providers/azure/runtime/send-ledger";
import { CosmosSubscriberDirectory } from "../../../providers/azure/runtime/subscriber-directory";
import type { RunningEmulator } from "../../../providers/local/emulators/kinesis";
import { archiveStoreContract } from "../../contracts/archive.contract";
import { journeyStoreContract } from "../../contracts/journeys.contract";
import { sendLedgerContract } from "../../contracts/ledger.contract";
import { messageLogContract } from "../../contracts/messages.contract";
import { optOutStoreContract } from "../../contracts/opt-outs.contract";
import { responsesStoreContract } from "../../contracts/responses.contract";
import { subscriberDirectoryContract } from "../../contracts/subscribers.contract";

const log = process.env["EMULATOR_LOG"] ? (line: string) => console.log(line) : undefined;
let cosmos: RunningEmulator | undefined;
let azurite: RunningAzurite | undefined;
let database: Database;
let archiveContainer: ContainerClient;
const containers = new Map<ContainerId, Promise<unknown>>();

beforeAll(async () => {
  [cosmos, azurite] = await Promise.all([startCosmosServer({ log }), startAzuriteBlob({ log })]);
  const client = new CosmosClient({ endpoint: cosmos.endpoint, key: "emulator", agent: insecureAgent });
  ({ database } = await client.databases.createIfNotExists({ id: `sms-${randomUUID().slice(0, 8)}` }));
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  archiveContainer = blobs.getContainerClient("archive");
  await archiveContainer.create();
}, 60_000);

afterAll(async () => {
  await Promise.all([cosmos?.process.stop(), azurite?.process.stop()]);
});

/** The container as infra/dataStore.ts creates it (same partition key), created once per file. */
const container = async (id: ContainerId) => {
  if (!containers.has(id)) {
    containers.set(
      id,
      database.containers.createIfNotExists({ id, partitionKey: { paths: [CONTAINERS[id].partitionKey] } }),
    );
  }
  await containers.get(id);
  return database.container(id);
};

responsesStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosResponsesStore(await container("responses")),
);
optOutStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosOptOutStore(await container("optOuts")),
);
sendLedgerContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosSendLedger(await container("ledger")),
);
journeyStoreContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosJourneyStore(await container("journeys")),
);
messageLogContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosMessageLog(await container("messages")),
);
subscriberDirectoryContract(
  "Cosmos DB (cosmosdb-server)",
  async () => new CosmosSubscriberDirectory(await container("subscribers")),
);
archiveStoreContract("Blob Storage (Azurite)", () => new BlobArchiveStore(archiveContainer));
archiveStoreContract(
  "Blob Storage (Azurite), with a key prefix",
  () => new BlobArchiveStore(archiveContainer, { keyPrefix: "prefixed/" }),
);

describe("Cosmos DB items", () => {
  it("store a reply's expiry as Cosmos' seconds-to-live and give the record back its epoch ttl", async () => {
    const raw = await container("responses");
    const store = new CosmosResponsesStore(raw, () => 1_000_000);
    const record = {
      event_id: `evt/${randomUUID()}#1`,
      phone_number: "+15555550100",
      response_text: "YES",
      response_timestamp: "2026-11-24T10:00:00.000Z",
      category: "yes" as const,
      sentiment: "positive" as const,
      ttl: 1_000_000 + 365 * 86_400,
    };
    expect(await store.put(record)).toBe("created");
    const { resources } = await raw.items
      .query({
        query: "SELECT * FROM c WHERE c.event_id = @id",
        parameters: [{ name: "@id", value: record.event_id }],
      })
      .fetchAll();
    expect(resources[0]).toMatchObject({
      ttl: 365 * 86_400,
      expires_at: record.ttl,
      subscriber_id: record.phone_number,
    });
    expect(resources[0].id).not.toMatch(/[/#?\\]/);
    expect(await store.get(record.event_id)).toEqual(record);
  });
});
