/**
 * The GCP run's stores: the functions' collections (responses, opt-outs, message log, parked
 * receipts, consent evidence, revocation clocks) are the Firestore adapters against the emulator; the senders' ledger, journeys, subscribers and
 * campaigns stay in memory for the same reason as on AWS (run/stores.ts), with the opt-out list
 * mirrored into the senders' view so a STOP stops the next send.
 */
import type { Firestore } from "@google-cloud/firestore";
import type { GcpStackConfig } from "../../gcp/infra/config";
import { FirestoreConsentLog } from "../../gcp/runtime/consent-log";
import { FirestoreMessageLog } from "../../gcp/runtime/message-log";
import { FirestoreOptOutStore } from "../../gcp/runtime/opt-out-store";
import { FirestorePendingReceiptStore } from "../../gcp/runtime/pending-receipts";
import { FirestoreResponsesStore } from "../../gcp/runtime/responses-store";
import { FirestoreRevocationClockStore } from "../../gcp/runtime/revocation-clocks";
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

export function firestoreStores(firestore: Firestore, config: GcpStackConfig): RunStores {
  const { names } = config;
  const optOutView = new MemoryOptOutStore();
  return {
    engine: "Firestore emulator (Java)",
    responses: new FirestoreResponsesStore(firestore, names.responsesTable),
    optOuts: new MirroredOptOutStore(new FirestoreOptOutStore(firestore, names.optOutsTable), optOutView),
    messages: new FirestoreMessageLog(firestore, names.messageLogTable),
    pendingReceipts: new FirestorePendingReceiptStore(firestore, names.pendingReceiptsTable),
    campaignLedger: new MemorySendLedger(),
    campaignOptOuts: optOutView,
    optOutReviews: new MemoryOptOutReviewStore(),
    journeys: new MemoryJourneyStore(),
    subscribers: new MemorySubscriberDirectory(),
    campaigns: new MemoryCampaignStore(),
    consentLog: new FirestoreConsentLog(firestore, names.consentLogTable),
    revocations: new FirestoreRevocationClockStore(firestore, names.revocationClocksTable),
    countResponses: async () => {
      const snapshot = await firestore.collection(names.responsesTable).count().get();
      return snapshot.data().count;
    },
    countOptOuts: async () => {
      const optedOut = firestore.collection(names.optOutsTable).where("optedOut", "==", true);
      return (await optedOut.count().get()).data().count;
    },
  };
}
