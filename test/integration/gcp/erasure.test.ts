/**
 * Erasure on the GCP adapters: the erasure contract on Google's Firestore emulator and the
 * Cloud Storage client against the repository's fake JSON API server (no GCS emulator from
 * Google; the fake keeps generations and honours ifGenerationMatch). Then `smsctl erase --outputs`
 * on the same emulators, through collections and a bucket under deployed-style names.
 */
import { Storage } from "@google-cloud/storage";
import { afterAll, beforeAll, describe, it } from "vitest";
import { GcsArchiveStore } from "../../../providers/gcp/runtime/archive-store";
import { FirestoreConsentLog } from "../../../providers/gcp/runtime/consent-log";
import { connectGcpErasure } from "../../../providers/gcp/runtime/erasure-stack";
import { FirestoreErasureTombstones } from "../../../providers/gcp/runtime/erasure-tombstones";
import { FirestoreJourneyStore } from "../../../providers/gcp/runtime/journey-store";
import { FirestoreMessageLog } from "../../../providers/gcp/runtime/message-log";
import { FirestoreOptOutReviewStore } from "../../../providers/gcp/runtime/opt-out-reviews";
import { FirestoreOptOutStore } from "../../../providers/gcp/runtime/opt-out-store";
import { FirestorePendingReceiptStore } from "../../../providers/gcp/runtime/pending-receipts";
import { FirestoreResponsesStore } from "../../../providers/gcp/runtime/responses-store";
import { FirestoreRevocationClockStore } from "../../../providers/gcp/runtime/revocation-clocks";
import { FirestoreSubscriberDirectory } from "../../../providers/gcp/runtime/subscriber-directory";
import { type FakeGcs, startFakeGcs } from "../../../providers/local/gcs/fake-gcs-server";
import { erasureContract } from "../../contracts/erasure.contract";
import { eraseStackSuite } from "../../support/erase-stack";
import { emulatorsUnavailable, PROJECT, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();
const firestore = () => fixture.firestore();
let gcs: FakeGcs;
let storage: Storage;
beforeAll(async () => {
  gcs = await startFakeGcs();
  storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: "sms-emulated" });
});
afterAll(() => gcs.close());

const namesOfStores = () => ({
  responses: uniqueName("responses"),
  optOuts: uniqueName("opt-outs"),
  journeys: uniqueName("journeys"),
  messages: uniqueName("messages"),
  subscribers: uniqueName("subscribers"),
  pendingReceipts: uniqueName("pending-receipts"),
  optOutReviews: uniqueName("opt-out-reviews"),
  revocations: uniqueName("revocation-clocks"),
});
const names = namesOfStores();
const consentCollection = uniqueName("consent-log");

/**
 * The consent log's documents with their paths: they live in subcollections under a document per
 * number (its id the number, never written itself), so a top-level read would miss them.
 */
async function consentDocs(collection: string): Promise<unknown[]> {
  const docs: unknown[] = [];
  for (const parent of await firestore().collection(collection).listDocuments()) {
    docs.push(parent.path);
    for (const sub of await parent.listCollections()) {
      for (const doc of (await sub.get()).docs) docs.push({ path: doc.ref.path, ...doc.data() });
    }
  }
  return docs;
}

/** Every document of every collection, and the consent log's with their paths, read behind the adapters. */
async function dumpOf(collections: Record<string, string>, consentLog: string): Promise<string> {
  const docs: unknown[] = await consentDocs(consentLog);
  for (const name of Object.values(collections)) {
    docs.push(...(await firestore().collection(name).get()).docs.map((doc) => doc.data()));
  }
  return JSON.stringify(docs);
}

if (emulatorsUnavailable) {
  describe("GCP erasure", () => {
    it.skip(`skipped: ${emulatorsUnavailable}`, () => {});
  });
} else {
  erasureContract("GCP (Firestore emulator, Cloud Storage client on the fake server)", () => ({
    responses: new FirestoreResponsesStore(firestore(), names.responses),
    messages: new FirestoreMessageLog(firestore(), names.messages),
    journeys: new FirestoreJourneyStore(firestore(), names.journeys),
    subscribers: new FirestoreSubscriberDirectory(firestore(), names.subscribers),
    optOuts: new FirestoreOptOutStore(firestore(), names.optOuts),
    optOutReviews: new FirestoreOptOutReviewStore(firestore(), names.optOutReviews),
    pendingReceipts: new FirestorePendingReceiptStore(firestore(), names.pendingReceipts),
    consentLog: new FirestoreConsentLog(firestore(), consentCollection),
    revocations: new FirestoreRevocationClockStore(firestore(), names.revocations),
    // A key prefix per test: the erasure scans the whole archive it is given.
    archive: new GcsArchiveStore(storage.bucket("sms-archive"), { keyPrefix: `${uniqueName("erasure")}/` }),
    tombstones: new FirestoreErasureTombstones(firestore(), names.optOuts),
    dump: () => dumpOf(names, consentCollection),
  }));

  eraseStackSuite("GCP (Firestore emulator, Cloud Storage client on the fake server)", async () => {
    const stores = namesOfStores();
    const consentLog = uniqueName("sms-consent-log");
    const archiveBucket = uniqueName("sms-archive");
    return {
      // As gcpPipelineOutputs prints them (the collections the erasure does not touch named too).
      outputs: {
        cloud: "gcp",
        project: PROJECT,
        region: "us-central1",
        firestoreDatabase: "(default)",
        campaignsCollection: "campaigns",
        audienceBucket: "sms-audience",
        revocationClocksCollection: stores.revocations,
        collections: { ...stores, consentLog, ledger: "ledger", campaigns: "campaigns" },
        archiveBucket,
        eventsTopic: "sms-events",
      },
      // Firestore from the outputs (FIRESTORE_EMULATOR_HOST leads it to the emulator); Cloud
      // Storage injected, aimed at the fake.
      connect: (outputs) => connectGcpErasure(outputs, { storage }),
      kit: {
        responses: new FirestoreResponsesStore(firestore(), stores.responses),
        messages: new FirestoreMessageLog(firestore(), stores.messages),
        journeys: new FirestoreJourneyStore(firestore(), stores.journeys),
        subscribers: new FirestoreSubscriberDirectory(firestore(), stores.subscribers),
        optOuts: new FirestoreOptOutStore(firestore(), stores.optOuts),
        optOutReviews: new FirestoreOptOutReviewStore(firestore(), stores.optOutReviews),
        pendingReceipts: new FirestorePendingReceiptStore(firestore(), stores.pendingReceipts),
        consentLog: new FirestoreConsentLog(firestore(), consentLog),
        revocations: new FirestoreRevocationClockStore(firestore(), stores.revocations),
        archive: new GcsArchiveStore(storage.bucket(archiveBucket)),
        tombstones: new FirestoreErasureTombstones(firestore(), stores.optOuts),
        dump: () => dumpOf(stores, consentLog),
      },
    };
  });
}
