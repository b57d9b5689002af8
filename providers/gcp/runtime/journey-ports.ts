import type { Firestore } from "@google-cloud/firestore";
import type { PubSub } from "@google-cloud/pubsub";
import type { Clock, OptOutStore } from "../../../core/ports";
import { FirestoreCampaignStore } from "./campaign-store";
import { orderedTopic } from "./clients";
import { SystemClock } from "./clock";
import { screenErased } from "./erasure-tombstones";
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
 * every send is published to (so the message log and analytics hear of it). With the salt in the
 * environment, erased numbers are seen as opted out (no send) and are never enrolled again.
 */
export const journeyPortsOf = (
  env: JourneyStoresEnv,
  clients: { firestore: Firestore; pubsub: PubSub },
  clock: Clock = new SystemClock(),
) => {
  const optOuts: OptOutStore = new FirestoreOptOutStore(clients.firestore, env[ENV.optOutsCollection]);
  const ports = {
    clock,
    journeys: new FirestoreJourneyStore(clients.firestore, env[ENV.journeysCollection]),
    subscribers: new FirestoreSubscriberDirectory(clients.firestore, env[ENV.subscribersCollection]),
    campaigns: new FirestoreCampaignStore(clients.firestore, env[ENV.campaignsCollection]),
    optOuts,
    // A number with a reply waiting for review gets nothing from the ticker until it is decided.
    optOutReviews: new FirestoreOptOutReviewStore(clients.firestore, env[ENV.optOutReviewsCollection]),
    ledger: new FirestoreSendLedger(clients.firestore, env[ENV.sendLedgerCollection]),
    publisher: new PubSubEventPublisher(orderedTopic(clients.pubsub, env[ENV.eventsTopic])),
  };
  return screenErased(ports, clients.firestore, env[ENV.optOutsCollection], env[ENV.phoneHashSalt]);
};

export type JourneyPorts = ReturnType<typeof journeyPortsOf>;
