/**
 * Erasure on the Azure adapters: the erasure contract on Cosmos DB (cosmosdb-server) and Blob
 * Storage (Azurite), both started here and stopped by process group. Azure has no revocation
 * clock store yet, so the kit has none.
 */

import { randomUUID } from "node:crypto";
import { CosmosClient, type Database } from "@azure/cosmos";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll } from "vitest";
import {
  insecureAgent,
  type RunningAzurite,
  startAzuriteBlob,
  startCosmosServer,
} from "../../../providers/azure/emulators";
import { BlobArchiveStore } from "../../../providers/azure/runtime/archive-store";
import { CosmosConsentLog } from "../../../providers/azure/runtime/consent-log";
import { type ContainerId, containerDefinitionOf } from "../../../providers/azure/runtime/containers";
import { CosmosErasureTombstones } from "../../../providers/azure/runtime/erasure-tombstones";
import { CosmosJourneyStore } from "../../../providers/azure/runtime/journey-store";
import { CosmosMessageLog } from "../../../providers/azure/runtime/message-log";
import { CosmosOptOutReviewStore } from "../../../providers/azure/runtime/opt-out-reviews";
import { CosmosOptOutStore } from "../../../providers/azure/runtime/opt-out-store";
import { CosmosPendingReceiptStore } from "../../../providers/azure/runtime/pending-receipts";
import { CosmosResponsesStore } from "../../../providers/azure/runtime/responses-store";
import { CosmosRevocationClockStore } from "../../../providers/azure/runtime/revocation-clocks";
import { CosmosSubscriberDirectory } from "../../../providers/azure/runtime/subscriber-directory";
import type { RunningEmulator } from "../../../providers/local/emulators/kinesis";
import { erasureContract } from "../../contracts/erasure.contract";

const log = process.env["EMULATOR_LOG"] ? (line: string) => console.log(line) : undefined;
let cosmos: RunningEmulator | undefined;
let azurite: RunningAzurite | undefined;
let database: Database;
let archiveContainer: ContainerClient;
const containers = new Map<ContainerId, Promise<unknown>>();
const ERASABLE: ContainerId[] = [
  "responses",
  "optOuts",
  "journeys",
  "messages",
  "subscribers",
  "pendingReceipts",
  "optOutReviews",
  "consentLog",
  "revocations",
];

beforeAll(async () => {
  [cosmos, azurite] = await Promise.all([startCosmosServer({ log }), startAzuriteBlob({ log })]);
  const client = new CosmosClient({ endpoint: cosmos.endpoint, key: "emulator", agent: insecureAgent });
  ({ database } = await client.databases.createIfNotExists({ id: `sms-${randomUUID().slice(0, 8)}` }));
  archiveContainer = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
    "archive",
  );
  await archiveContainer.create();
}, 60_000);

afterAll(async () => {
  await Promise.all([cosmos?.process.stop(), azurite?.process.stop()]);
});

/** The container as infra/dataStore.ts creates it (partition and unique keys), created once per file. */
const container = async (id: ContainerId) => {
  if (!containers.has(id)) {
    containers.set(id, database.containers.createIfNotExists(containerDefinitionOf(id)));
  }
  await containers.get(id);
  return database.container(id);
};

erasureContract("Azure (Cosmos DB on cosmosdb-server, Blob Storage on Azurite)", async () => ({
  responses: new CosmosResponsesStore(await container("responses")),
  messages: new CosmosMessageLog(await container("messages")),
  journeys: new CosmosJourneyStore(await container("journeys")),
  subscribers: new CosmosSubscriberDirectory(await container("subscribers")),
  optOuts: new CosmosOptOutStore(await container("optOuts")),
  optOutReviews: new CosmosOptOutReviewStore(await container("optOutReviews")),
  pendingReceipts: new CosmosPendingReceiptStore(await container("pendingReceipts")),
  consentLog: new CosmosConsentLog(await container("consentLog")),
  revocations: new CosmosRevocationClockStore(await container("revocations")),
  // A key prefix per test: the erasure scans the whole archive it is given.
  archive: new BlobArchiveStore(archiveContainer, { keyPrefix: `${randomUUID().slice(0, 8)}/` }),
  tombstones: new CosmosErasureTombstones(await container("optOuts")),
  // Every item of every container, read behind the adapters.
  dump: async () => {
    const items: unknown[] = [];
    for (const id of ERASABLE) {
      items.push(...(await (await container(id)).items.query("SELECT * FROM c").fetchAll()).resources);
    }
    return JSON.stringify(items);
  },
}));
