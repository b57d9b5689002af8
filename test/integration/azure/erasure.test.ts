/**
 * Erasure on the Azure adapters: the erasure contract on Cosmos DB (cosmosdb-server) and Blob
 * Storage (Azurite), both started here and stopped by process group; then `smsctl erase
 * --outputs` on the same emulators, through containers under deployed-style names.
 */

import { randomUUID } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { insecureAgent } from "../../../providers/azure/emulators";
import { BlobArchiveStore } from "../../../providers/azure/runtime/archive-store";
import { CosmosConsentLog } from "../../../providers/azure/runtime/consent-log";
import { type ContainerId, containerDefinitionOf } from "../../../providers/azure/runtime/containers";
import { connectAzureErasure } from "../../../providers/azure/runtime/erasure-stack";
import { CosmosErasureTombstones } from "../../../providers/azure/runtime/erasure-tombstones";
import { CosmosJourneyStore } from "../../../providers/azure/runtime/journey-store";
import { CosmosMessageLog } from "../../../providers/azure/runtime/message-log";
import { CosmosOptOutReviewStore } from "../../../providers/azure/runtime/opt-out-reviews";
import { CosmosOptOutStore } from "../../../providers/azure/runtime/opt-out-store";
import { CosmosPendingReceiptStore } from "../../../providers/azure/runtime/pending-receipts";
import { CosmosResponsesStore } from "../../../providers/azure/runtime/responses-store";
import { CosmosRevocationClockStore } from "../../../providers/azure/runtime/revocation-clocks";
import { CosmosSubscriberDirectory } from "../../../providers/azure/runtime/subscriber-directory";
import { erasureContract } from "../../contracts/erasure.contract";
import { useAzureEmulators } from "../../emulators/azure";
import { eraseStackSuite } from "../../support/erase-stack";

const containers = new Map<string, Promise<unknown>>();
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

const azure = useAzureEmulators("archive");

/**
 * The container as infra/dataStore.ts creates it (partition and unique keys), created once per
 * file, under `name` (default: its id).
 */
const container = async (id: ContainerId, name: string = id) => {
  if (!containers.has(name)) {
    containers.set(name, azure.database().containers.createIfNotExists(containerDefinitionOf(id, name)));
  }
  await containers.get(name);
  return azure.database().container(name);
};

/** Every item of the containers, read behind the adapters. */
const dumpOf = async (names: string[]) => {
  const items: unknown[] = [];
  for (const name of names) {
    items.push(
      ...(await azure.database().container(name).items.query("SELECT * FROM c").fetchAll()).resources,
    );
  }
  return JSON.stringify(items);
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
  archive: new BlobArchiveStore(azure.blobs(), { keyPrefix: `${randomUUID().slice(0, 8)}/` }),
  tombstones: new CosmosErasureTombstones(await container("optOuts")),
  dump: () => dumpOf(ERASABLE),
}));

eraseStackSuite("Azure (cosmosdb-server + Azurite)", async () => {
  const cosmos = azure.cosmos();
  const azurite = azure.azurite();
  // Named as a deployment names them, so only the outputs lead the connector to them.
  const suffix = randomUUID().slice(0, 6);
  const names = Object.fromEntries(ERASABLE.map((id) => [id, `sms-${id}-${suffix}`])) as Record<
    ContainerId,
    string
  >;
  const named = (id: ContainerId) => container(id, names[id]);
  const archiveName = `archive-${suffix}`;
  const archive = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
    archiveName,
  );
  await archive.create();
  const connectionString = azurite.connectionString;
  return {
    // As azurePipelineOutputs prints them (the containers the erasure does not touch named too).
    outputs: {
      cloud: "azure",
      cosmosEndpoint: cosmos.endpoint,
      cosmosDatabase: azure.database().id,
      campaignsContainer: `sms-campaigns-${suffix}`,
      audienceBlobEndpoint: azurite.endpoint,
      audienceContainer: "audience",
      revocationClocksContainer: names.revocations,
      containers: { ...names, ledger: `sms-ledger-${suffix}`, campaigns: `sms-campaigns-${suffix}` },
      archiveBlobEndpoint: azurite.endpoint,
      archiveContainer: archiveName,
      archivePrefix: "events/",
      eventHubName: "sms-events",
    },
    connect: (outputs) =>
      connectAzureErasure(outputs, {
        cosmosKey: "emulator",
        cosmosAgent: insecureAgent,
        storageConnectionString: connectionString,
      }),
    kit: {
      responses: new CosmosResponsesStore(await named("responses")),
      messages: new CosmosMessageLog(await named("messages")),
      journeys: new CosmosJourneyStore(await named("journeys")),
      subscribers: new CosmosSubscriberDirectory(await named("subscribers")),
      optOuts: new CosmosOptOutStore(await named("optOuts")),
      optOutReviews: new CosmosOptOutReviewStore(await named("optOutReviews")),
      pendingReceipts: new CosmosPendingReceiptStore(await named("pendingReceipts")),
      consentLog: new CosmosConsentLog(await named("consentLog")),
      revocations: new CosmosRevocationClockStore(await named("revocations")),
      archive: new BlobArchiveStore(archive),
      tombstones: new CosmosErasureTombstones(await named("optOuts")),
      dump: () => dumpOf(Object.values(names)),
    },
  };
});
