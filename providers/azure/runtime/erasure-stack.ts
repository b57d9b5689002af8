import * as z from "zod/mini";
import type { ErasureStack } from "../../../core/processing/erasure";
import {
  ErasedStoreNamesSchema,
  erasersInOrder,
  outputName,
  parseStackOutputs,
} from "../../../core/processing/erasure-outputs";
import { BlobArchiveStore } from "./archive-store";
import { CosmosConsentLog } from "./consent-log";
import { CosmosErasureTombstones } from "./erasure-tombstones";
import { CosmosJourneyStore } from "./journey-store";
import { CosmosMessageLog } from "./message-log";
import { CosmosOptOutReviewStore } from "./opt-out-reviews";
import { CosmosOptOutStore } from "./opt-out-store";
import { CosmosPendingReceiptStore } from "./pending-receipts";
import { CosmosResponsesStore } from "./responses-store";
import { CosmosRevocationClockStore } from "./revocation-clocks";
import { type AzureStackConnection, azureStackClientsOf } from "./stack-clients";
import { CosmosSubscriberDirectory } from "./subscriber-directory";

const url = z.url();

/**
 * The stack outputs an erasure needs (azurePipelineOutputs: `containers` by id, the archive's
 * endpoint and container). The archive keys already start with events/, so `archivePrefix` is not
 * a key prefix here, as in the archive function's settings.
 */
const ErasureOutputsSchema = z.object({
  cosmosEndpoint: url,
  cosmosDatabase: outputName,
  archiveBlobEndpoint: url,
  archiveContainer: outputName,
  containers: ErasedStoreNamesSchema,
});

export type AzureErasureOutputs = z.infer<typeof ErasureOutputsSchema>;

/** The erasure outputs of an Azure stack; a missing or invalid one throws one line naming it. */
export function parseAzureErasureOutputs(outputs: unknown): AzureErasureOutputs {
  return parseStackOutputs(ErasureOutputsSchema, outputs, "Azure");
}

/**
 * Every store of a deployed Azure stack that holds personal data, for `smsctl erase --stack`: its
 * Cosmos DB containers and the archive container, under the names the outputs give, reached with
 * DefaultAzureCredential (or the emulators' key and connection string in `connection`). The
 * tombstone goes into the opt-outs container, as CosmosErasureTombstones keeps it.
 */
export function connectAzureErasure(outputs: unknown, connection: AzureStackConnection = {}): ErasureStack {
  const stack = parseAzureErasureOutputs(outputs);
  const clients = azureStackClientsOf(connection);
  const cosmos = clients.cosmos(stack.cosmosEndpoint);
  const database = cosmos.database(stack.cosmosDatabase);
  const container = (id: string) => database.container(id);
  const { containers } = stack;
  const subscribers = new CosmosSubscriberDirectory(container(containers.subscribers));
  const consentLog = containers.consentLog
    ? new CosmosConsentLog(container(containers.consentLog))
    : undefined;
  const archive = clients.blobs(stack.archiveBlobEndpoint).getContainerClient(stack.archiveContainer);
  return {
    describe: () =>
      `azure cosmos ${new URL(stack.cosmosEndpoint).host} database ${stack.cosmosDatabase}, archive ${stack.archiveContainer} on ${new URL(stack.archiveBlobEndpoint).host}`,
    deps: {
      subscribers,
      stores: erasersInOrder({
        responses: new CosmosResponsesStore(container(containers.responses)),
        messages: new CosmosMessageLog(container(containers.messages)),
        journeys: new CosmosJourneyStore(container(containers.journeys)),
        optOutReviews: new CosmosOptOutReviewStore(container(containers.optOutReviews)),
        pendingReceipts: new CosmosPendingReceiptStore(container(containers.pendingReceipts)),
        optOuts: new CosmosOptOutStore(container(containers.optOuts)),
        consentLog,
        revocations: containers.revocations
          ? new CosmosRevocationClockStore(container(containers.revocations))
          : undefined,
        subscribers,
      }),
      ...(consentLog ? { consentLog } : {}),
      archive: new BlobArchiveStore(archive),
      tombstones: new CosmosErasureTombstones(container(containers.optOuts)),
    },
    close: async () => cosmos.dispose(),
  };
}
