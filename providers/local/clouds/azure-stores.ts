/**
 * The Azure run's stores. The functions' containers (responses, opt-outs, message log, parked receipts, consent evidence, revocation clocks) are Cosmos DB
 * on cosmosdb-server, through the stack's own adapters, partitioned as infra/dataStore.ts creates
 * them. Journey states, subscribers, campaigns and the send ledger stay in memory, as on the AWS
 * run and for the same reason (run/stores.ts): the ticker and the campaign sender would add several
 * round trips per message to an emulator sharing two cores. The responses function writes every
 * opt-out to Cosmos and to the senders' view (MirroredOptOutStore), so a STOP stops the next send.
 */
import { randomUUID } from "node:crypto";
import { type Container, CosmosClient } from "@azure/cosmos";
import { insecureAgent } from "../../azure/emulators";
import { CosmosConsentLog } from "../../azure/runtime/consent-log";
import { type ContainerId, containerDefinitionOf } from "../../azure/runtime/containers";
import { CosmosMessageLog } from "../../azure/runtime/message-log";
import { CosmosOptOutStore } from "../../azure/runtime/opt-out-store";
import { CosmosPendingReceiptStore } from "../../azure/runtime/pending-receipts";
import { CosmosResponsesStore } from "../../azure/runtime/responses-store";
import { CosmosRevocationClockStore } from "../../azure/runtime/revocation-clocks";
import type { RunStores } from "../run/stores";
import {
  MemoryCampaignStore,
  MemoryJourneyStore,
  MemoryOptOutReviewStore,
  MemoryOptOutStore,
  MemorySendLedger,
  MemorySubscriberDirectory,
} from "../runtime/memory";
import { MirroredOptOutStore } from "../runtime/mirrored-opt-out-store";

const FUNCTION_CONTAINERS = [
  "responses",
  "optOuts",
  "messages",
  "pendingReceipts",
  "consentLog",
  "revocations",
] as const satisfies readonly ContainerId[];

/** Creates the database and the functions' containers on the emulator, as the stack's data store does. */
export async function createCosmosContainers(
  endpoint: string,
): Promise<Record<(typeof FUNCTION_CONTAINERS)[number], Container>> {
  // cosmosdb-server accepts any key; it serves its own self-signed certificate (see emulators).
  const client = new CosmosClient({ endpoint, key: "emulator", agent: insecureAgent });
  const { database } = await client.databases.createIfNotExists({ id: `sms-${randomUUID().slice(0, 8)}` });
  const entries = await Promise.all(
    FUNCTION_CONTAINERS.map(async (id) => {
      const { container } = await database.containers.createIfNotExists(containerDefinitionOf(id));
      return [id, container] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<(typeof FUNCTION_CONTAINERS)[number], Container>;
}

/** Items in a container (the emulator has no RU limits; a reply run holds a few thousand). */
/** Items of a container that the WHERE clause keeps (all when none): ids only, counted here. */
const countItems = async (container: Container, where = ""): Promise<number> => {
  const { resources } = await container.items.query<{ id: string }>(`SELECT c.id FROM c ${where}`).fetchAll();
  return resources.length;
};

export function cosmosStores(containers: Record<(typeof FUNCTION_CONTAINERS)[number], Container>): RunStores {
  const optOutView = new MemoryOptOutStore();
  return {
    engine:
      "Cosmos DB (cosmosdb-server) for responses, opt-outs, the message log, parked receipts, consent evidence and revocation clocks; the rest in memory",
    responses: new CosmosResponsesStore(containers.responses),
    optOuts: new MirroredOptOutStore(new CosmosOptOutStore(containers.optOuts), optOutView),
    messages: new CosmosMessageLog(containers.messages),
    pendingReceipts: new CosmosPendingReceiptStore(containers.pendingReceipts),
    campaignLedger: new MemorySendLedger(),
    campaignOptOuts: optOutView,
    optOutReviews: new MemoryOptOutReviewStore(),
    journeys: new MemoryJourneyStore(),
    subscribers: new MemorySubscriberDirectory(),
    campaigns: new MemoryCampaignStore(),
    consentLog: new CosmosConsentLog(containers.consentLog),
    revocations: new CosmosRevocationClockStore(containers.revocations),
    countResponses: () => countItems(containers.responses),
    countOptOuts: () => countItems(containers.optOuts, "WHERE c.opted_out = true"),
  };
}
