import type { Firestore } from "@google-cloud/firestore";
import type { PubSub } from "@google-cloud/pubsub";
import type { Clock } from "../../../core/ports";
import { FirestoreCampaignStore } from "./campaign-store";
import { orderedTopic } from "./clients";
import { SystemClock } from "./clock";
import { PubSubEventPublisher } from "./event-publisher";
import { FirestoreJourneyStore } from "./journey-store";
import { FirestoreOptOutReviewStore } from "./opt-out-reviews";
import { FirestoreOptOutStore } from "./opt-out-store";
import { FirestoreSendLedger } from "./send-ledger";
import { ENV, type JourneyStoresEnv } from "./settings";
import { FirestoreSubscriberDirectory } from "./subscriber-directory";

/**
 * The stores a journey step touches, shared by the ticker, the enrollment function and
 * createGcpPorts: journeys, subscribers, campaigns, opt-outs and the review holds, the send ledger, and the events topic
 * every send is published to (so the message log and analytics hear of it).
 */
export const journeyPortsOf = (
  env: JourneyStoresEnv,
  clients: { firestore: Firestore; pubsub: PubSub },
  clock: Clock = new SystemClock(),
) => ({
  clock,
  journeys: new FirestoreJourneyStore(clients.firestore, env[ENV.journeysCollection]),
  subscribers: new FirestoreSubscriberDirectory(clients.firestore, env[ENV.subscribersCollection]),
  campaigns: new FirestoreCampaignStore(clients.firestore, env[ENV.campaignsCollection]),
  optOuts: new FirestoreOptOutStore(clients.firestore, env[ENV.optOutsCollection]),
  // A number with a reply waiting for review gets nothing from the ticker until it is decided.
  optOutReviews: new FirestoreOptOutReviewStore(clients.firestore, env[ENV.optOutReviewsCollection]),
  ledger: new FirestoreSendLedger(clients.firestore, env[ENV.sendLedgerCollection]),
  publisher: new PubSubEventPublisher(orderedTopic(clients.pubsub, env[ENV.eventsTopic])),
});

export type JourneyPorts = ReturnType<typeof journeyPortsOf>;
