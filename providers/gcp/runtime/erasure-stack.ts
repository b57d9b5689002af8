import { Firestore } from "@google-cloud/firestore";
import { Storage } from "@google-cloud/storage";
import * as z from "zod/mini";
import type { ErasureStack } from "../../../core/processing/erasure";
import {
  ErasedStoreNamesSchema,
  erasersInOrder,
  outputName,
  parseStackOutputs,
} from "../../../core/processing/erasure-outputs";
import { GcsArchiveStore } from "./archive-store";
import type { GcpStackClients } from "./campaign-stack";
import { FirestoreConsentLog } from "./consent-log";
import { FirestoreErasureTombstones } from "./erasure-tombstones";
import { FirestoreJourneyStore } from "./journey-store";
import { FirestoreMessageLog } from "./message-log";
import { FirestoreOptOutReviewStore } from "./opt-out-reviews";
import { FirestoreOptOutStore } from "./opt-out-store";
import { FirestorePendingReceiptStore } from "./pending-receipts";
import { FirestoreResponsesStore } from "./responses-store";
import { FirestoreRevocationClockStore } from "./revocation-clocks";
import { FirestoreSubscriberDirectory } from "./subscriber-directory";

/**
 * The stack outputs an erasure needs (gcpPipelineOutputs: `collections` by id in the stack's
 * Firestore database, and `archiveBucket`, whose keys start with events/ as the archive function
 * writes them).
 */
const ErasureOutputsSchema = z.object({
  project: outputName,
  region: outputName,
  firestoreDatabase: outputName,
  archiveBucket: outputName,
  collections: ErasedStoreNamesSchema,
});

export type GcpErasureOutputs = z.infer<typeof ErasureOutputsSchema>;

/** The erasure outputs of a GCP stack; a missing or invalid one throws one line naming it. */
export function parseGcpErasureOutputs(outputs: unknown): GcpErasureOutputs {
  return parseStackOutputs(ErasureOutputsSchema, outputs, "GCP");
}

/**
 * Every store of a deployed GCP stack that holds personal data, for `smsctl erase --stack`: its
 * Firestore collections and the archive bucket, under the names the outputs give, reached with the
 * caller's application default credentials (tests inject clients aimed at the emulators). The
 * tombstone goes into the opt-outs collection, as FirestoreErasureTombstones keeps it.
 */
export function connectGcpErasure(outputs: unknown, clients: GcpStackClients = {}): ErasureStack {
  const stack = parseGcpErasureOutputs(outputs);
  const firestore =
    clients.firestore ?? new Firestore({ projectId: stack.project, databaseId: stack.firestoreDatabase });
  const storage = clients.storage ?? new Storage({ projectId: stack.project });
  const { collections } = stack;
  const subscribers = new FirestoreSubscriberDirectory(firestore, collections.subscribers);
  const consentLog = collections.consentLog
    ? new FirestoreConsentLog(firestore, collections.consentLog)
    : undefined;
  return {
    describe: () =>
      `gcp ${stack.project} ${stack.region} database ${stack.firestoreDatabase}, bucket ${stack.archiveBucket}`,
    deps: {
      subscribers,
      stores: erasersInOrder({
        responses: new FirestoreResponsesStore(firestore, collections.responses),
        messages: new FirestoreMessageLog(firestore, collections.messages),
        journeys: new FirestoreJourneyStore(firestore, collections.journeys),
        optOutReviews: new FirestoreOptOutReviewStore(firestore, collections.optOutReviews),
        pendingReceipts: new FirestorePendingReceiptStore(firestore, collections.pendingReceipts),
        optOuts: new FirestoreOptOutStore(firestore, collections.optOuts),
        consentLog,
        revocations: collections.revocations
          ? new FirestoreRevocationClockStore(firestore, collections.revocations)
          : undefined,
        subscribers,
      }),
      ...(consentLog ? { consentLog } : {}),
      archive: new GcsArchiveStore(storage.bucket(stack.archiveBucket)),
      tombstones: new FirestoreErasureTombstones(firestore, collections.optOuts),
    },
    // An injected client is the caller's to close.
    close: async () => {
      if (!clients.firestore) await firestore.terminate();
    },
  };
}
