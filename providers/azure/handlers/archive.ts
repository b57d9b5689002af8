import type { Ports } from "../../../core/ports";
import { archiveEvents, batchIdOf } from "../../../core/processing/archive";
import { RESPONSES_ENV } from "../infra/environment";
import { BlobArchiveStore } from "../runtime/archive-store";
import type { AzureClients } from "../runtime/azure-ports";
import {
  archiveContainerOf,
  cosmosContainerOf,
  lazyCredential,
  serviceBusClientOf,
} from "../runtime/clients";
import { commonPortsOf } from "../runtime/common-ports";
import { screenErased } from "../runtime/erasure-tombstones";
import { CosmosMessageLog } from "../runtime/message-log";
import { CosmosPendingReceiptStore } from "../runtime/pending-receipts";
import { type ArchiveEnv, ArchiveEnvSchema, ENV, parseEnv } from "../runtime/settings";
import { type ConsumerHandlerDeps, createConsumerHandler, lazyHandler } from "./consumer-handler";

export interface ArchiveHandlerDeps extends Omit<ConsumerHandlerDeps, "deadLetter" | "clock" | "metrics"> {
  ports: Pick<Ports, "archive" | "messages" | "deadLetter" | "clock" | "metrics"> &
    Partial<Pick<Ports, "pendingReceipts" | "erasures">>;
}

/**
 * Every decodable event of the batch as Parquet, one blob per UTC date, under a key derived from
 * the records' partition and sequence numbers (a retried batch overwrites its own blobs).
 */
export const createArchiveHandler = (deps: ArchiveHandlerDeps) =>
  createConsumerHandler(
    "archive",
    (log) => ({
      skipReplayed: true,
      wholeBatch: async (events, recordIds) => {
        const objects = await archiveEvents(events, deps.ports, batchIdOf(recordIds));
        log.log("archived", { keys: objects.map((o) => o.key), rows: events.length });
      },
    }),
    { ...deps, ...deps.ports },
  );

/**
 * The archive app's ports from its settings; clients not injected are built from them. With the
 * salt (and the opt-outs container its tombstones live in), erased numbers' rows are dropped: a
 * retried batch cannot write them back.
 */
export const archivePortsOf = (env: ArchiveEnv, clients: AzureClients = {}): ArchiveHandlerDeps["ports"] => {
  const credential = lazyCredential(env);
  const cosmos = clients.cosmos ?? cosmosContainerOf(env, credential);
  const ports = {
    ...commonPortsOf(env, clients.serviceBus ?? serviceBusClientOf(env, credential), {
      credential,
      ...(clients.metricsTransport ? { metricsTransport: clients.metricsTransport } : {}),
    }),
    messages: new CosmosMessageLog(cosmos(env[ENV.messageLogContainer])),
    pendingReceipts: new CosmosPendingReceiptStore(cosmos(env[ENV.pendingReceiptsContainer])),
    archive: new BlobArchiveStore(clients.archive ?? archiveContainerOf(env, credential), {
      keyPrefix: env[ENV.archivePrefix],
    }),
  };
  const optOuts = env[ENV.optOutsContainer];
  return optOuts ? screenErased(ports, () => cosmos(optOuts), env[RESPONSES_ENV.phoneHashSalt]) : ports;
};

/** Functions entry: ports from the app settings, built at first invocation. */
export const handler = lazyHandler(() => {
  const env = parseEnv(ArchiveEnvSchema);
  return createArchiveHandler({ ports: archivePortsOf(env), maxAttempts: env[ENV.recordMaxAttempts] });
});
