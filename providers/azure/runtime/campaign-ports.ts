import type { TickerSettings } from "../../../core/campaign/ticker";
import type {
  Clock,
  DeadLetter,
  ErasureGuard,
  MetricsSink,
  OptOutStore,
  SmsSender,
} from "../../../core/ports";
import { RESPONSES_ENV } from "../infra/environment";
import { BlobAudienceStore } from "./audience-store";
import type { AzureClients } from "./azure-ports";
import { CosmosCampaignStore } from "./campaign-store";
import {
  blobContainerOf,
  cosmosContainerOf,
  eventHubProducerOf,
  lazyCredential,
  serviceBusClientOf,
} from "./clients";
import { commonPortsOf } from "./common-ports";
import { ServiceBusEnrollmentQueue } from "./enrollment-queue";
import { screenErased } from "./erasure-tombstones";
import { EventHubsEventPublisher } from "./event-publisher";
import { CosmosJourneyStore } from "./journey-store";
import { CosmosOptOutReviewStore } from "./opt-out-reviews";
import { CosmosOptOutStore } from "./opt-out-store";
import { CosmosSendLedger } from "./send-ledger";
import { type CampaignsEnv, ENV } from "./settings";
import { smsSenderFor } from "./sms-sender";
import { CosmosSubscriberDirectory } from "./subscriber-directory";

/** What the ticker and the enrollment function use: the journey stores, the stream, the sender. */
export interface CampaignPorts {
  clock: Clock;
  deadLetter: DeadLetter;
  metrics: MetricsSink;
  sender: SmsSender;
  publisher: EventHubsEventPublisher;
  ledger: CosmosSendLedger;
  /** Sees erased numbers as opted out when the app has the salt (screenErased). */
  optOuts: OptOutStore;
  optOutReviews: CosmosOptOutReviewStore;
  journeys: CosmosJourneyStore;
  subscribers: CosmosSubscriberDirectory;
  campaigns: CosmosCampaignStore;
  audience: BlobAudienceStore;
  enrollmentQueue: ServiceBusEnrollmentQueue;
  /** With the salt: erased numbers are never enrolled again. */
  erasures?: ErasureGuard;
}

/** The campaigns app's ports from its validated settings; clients not injected are built from them. */
export const campaignPortsOf = (
  env: CampaignsEnv,
  options: { clients?: AzureClients; clock?: Clock; sender?: SmsSender } = {},
): CampaignPorts => {
  const credential = lazyCredential(env);
  const clients = options.clients ?? {};
  const cosmos = clients.cosmos ?? cosmosContainerOf(env, credential);
  const serviceBus = clients.serviceBus ?? serviceBusClientOf(env, credential);
  const ports: CampaignPorts = {
    ...commonPortsOf(env, serviceBus, {
      credential,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(clients.metricsTransport ? { metricsTransport: clients.metricsTransport } : {}),
    }),
    sender: options.sender ?? smsSenderFor(env[ENV.acsEndpoint], env[ENV.senderNumber], credential),
    publisher: new EventHubsEventPublisher(clients.eventHub ?? eventHubProducerOf(env, credential)),
    ledger: new CosmosSendLedger(cosmos(env[ENV.sendLedgerContainer])),
    optOuts: new CosmosOptOutStore(cosmos(env[ENV.optOutsContainer])),
    // A number with a reply waiting for review gets nothing from the ticker until it is decided.
    optOutReviews: new CosmosOptOutReviewStore(cosmos(env[ENV.optOutReviewsContainer])),
    journeys: new CosmosJourneyStore(cosmos(env[ENV.journeysContainer])),
    subscribers: new CosmosSubscriberDirectory(cosmos(env[ENV.subscribersContainer])),
    campaigns: new CosmosCampaignStore(cosmos(env[ENV.campaignsContainer])),
    audience: new BlobAudienceStore(
      blobContainerOf(env, env[ENV.audienceBlobEndpoint], env[ENV.audienceContainer], credential),
    ),
    enrollmentQueue: new ServiceBusEnrollmentQueue(serviceBus.createSender(env[ENV.enrollmentQueue])),
  };
  // Erased numbers: no send (seen as opted out), no re-enrollment.
  return screenErased(ports, () => cosmos(env[ENV.optOutsContainer]), env[RESPONSES_ENV.phoneHashSalt]);
};

/** The tick's allowance and send policy from the app settings (the stack config sets them). */
export const tickerSettingsOf = (env: CampaignsEnv): TickerSettings => ({
  mps: env[ENV.tickMps],
  intervalSeconds: env[ENV.tickIntervalSeconds],
  ...(env[ENV.tickBudgetUsd] === undefined ? {} : { budgetUsd: env[ENV.tickBudgetUsd] }),
  policy: { window: { startHour: env[ENV.sendWindowStartHour], endHour: env[ENV.sendWindowEndHour] } },
});
