import type { Container } from "@azure/cosmos";
import type { ServiceBusClient } from "@azure/service-bus";
import type { ContainerClient } from "@azure/storage-blob";
import type { CampaignStore, Clock, Ports, SmsSender } from "../../../core/ports";
import { RESPONSES_ENV } from "../infra/environment";
import { BlobArchiveStore } from "./archive-store";
import { CosmosCampaignStore } from "./campaign-store";
import {
  archiveContainerOf,
  cosmosContainerOf,
  eventHubProducerOf,
  lazyCredential,
  serviceBusClientOf,
} from "./clients";
import { commonPortsOf } from "./common-ports";
import { consentLogOf } from "./consent-log";
import { screenErased } from "./erasure-tombstones";
import { EventHubsEventPublisher, type EventProducer } from "./event-publisher";
import { CosmosJourneyStore } from "./journey-store";
import { CosmosMessageLog } from "./message-log";
import type { IngestionTransport } from "./metrics-sink";
import { ServiceBusNotifier } from "./notifier";
import { CosmosOptOutReviewStore } from "./opt-out-reviews";
import { CosmosOptOutStore } from "./opt-out-store";
import { CosmosResponsesStore } from "./responses-store";
import { CosmosSendLedger } from "./send-ledger";
import { type AzurePortsEnv, AzurePortsEnvSchema, ENV, parseEnv } from "./settings";
import { smsSenderFor } from "./sms-sender";
import { CosmosSubscriberDirectory } from "./subscriber-directory";

export interface AzureClients {
  /** Container by name (default: a CosmosClient on COSMOS_ENDPOINT / COSMOS_DATABASE). */
  cosmos?: (container: string) => Container;
  archive?: ContainerClient;
  serviceBus?: ServiceBusClient;
  eventHub?: EventProducer;
  metricsTransport?: IngestionTransport;
}

export interface AzurePortsOptions {
  clients?: AzureClients;
  clock?: Clock;
  /** The SMS sender; default: Azure Communication Services from ACS_ENDPOINT and SMS_SENDER_NUMBER. */
  sender?: SmsSender;
}

/**
 * Every core port on Azure, from app settings (validated once; an error names each setting at
 * fault). Clients not injected are built from the settings; the functions build only what they use.
 */
export const createAzurePorts = (
  rawEnv: Record<string, string | undefined>,
  options: AzurePortsOptions = {},
): Ports & { campaigns: CampaignStore } => {
  const env: AzurePortsEnv = parseEnv(AzurePortsEnvSchema, rawEnv);
  const credential = lazyCredential(env);
  const clients = options.clients ?? {};
  const cosmos = clients.cosmos ?? cosmosContainerOf(env, credential);
  const serviceBus = clients.serviceBus ?? serviceBusClientOf(env, credential);
  const common = commonPortsOf(env, serviceBus, {
    credential,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(clients.metricsTransport ? { metricsTransport: clients.metricsTransport } : {}),
  });
  const nowSeconds = () => common.clock.now().getTime() / 1000;
  const ports: Ports & { campaigns: CampaignStore } = {
    ...common,
    publisher: new EventHubsEventPublisher(clients.eventHub ?? eventHubProducerOf(env, credential)),
    responses: new CosmosResponsesStore(cosmos(env[ENV.responsesContainer]), nowSeconds),
    optOuts: new CosmosOptOutStore(cosmos(env[ENV.optOutsContainer])),
    optOutReviews: new CosmosOptOutReviewStore(cosmos(env[ENV.optOutReviewsContainer])),
    ...consentLogOf(env[RESPONSES_ENV.consentLogContainer], cosmos),
    messages: new CosmosMessageLog(cosmos(env[ENV.messageLogContainer])),
    subscribers: new CosmosSubscriberDirectory(cosmos(env[ENV.subscribersContainer])),
    ledger: new CosmosSendLedger(cosmos(env[ENV.sendLedgerContainer])),
    journeys: new CosmosJourneyStore(cosmos(env[ENV.journeysContainer])),
    campaigns: new CosmosCampaignStore(cosmos(env[ENV.campaignsContainer])),
    notifier: new ServiceBusNotifier(serviceBus.createSender(env[ENV.notificationTopic])),
    archive: new BlobArchiveStore(clients.archive ?? archiveContainerOf(env, credential), {
      keyPrefix: env[ENV.archivePrefix],
    }),
    sender: options.sender ?? smsSenderFor(env[ENV.acsEndpoint], env[ENV.senderNumber], credential),
  };
  return screenErased(ports, () => cosmos(env[ENV.optOutsContainer]), env[RESPONSES_ENV.phoneHashSalt]);
};
