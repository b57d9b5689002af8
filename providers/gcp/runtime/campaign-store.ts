import { type CollectionReference, FieldValue, type Firestore, Timestamp } from "@google-cloud/firestore";
import type { CampaignRecord, CampaignStore } from "../../../core/ports";
import { CAMPAIGN_COUNTERS_SUBCOLLECTION, TTL_TIMESTAMP_FIELD } from "../infra/environment";
import { docIdOf, updateIfUnchanged, withoutUndefined, writeIf } from "./firestore-support";

/** The record's fields a later version may drop; update() merges, so they are deleted explicitly. */
const OPTIONAL_FIELDS = ["enrolledAt", "pausedBy", "breakerTrip", "resumedAt"] as const;

/** Counters live beside the record, in a subcollection, so no record write can touch them. */
export const COUNTERS_SUBCOLLECTION = CAMPAIGN_COUNTERS_SUBCOLLECTION;
const COUNTERS_DOC = "totals";

/**
 * Launched campaigns, one document per campaign, with optimistic versions as for journeys
 * (create() for version 0, else a version check plus a lastUpdateTime precondition; no
 * transactions, which the emulator loses). The counters are one document in the campaign's
 * `counters` subcollection, added to with FieldValue.increment, so concurrent adders never lose an
 * increment and list() (top-level documents only) sees records alone. Counters added with an
 * expiry carry `expireAt`, which the `counters` collection group's TTL policy deletes on.
 */
export class FirestoreCampaignStore implements CampaignStore {
  private readonly collection: CollectionReference;

  constructor(firestore: Firestore, collection: string) {
    this.collection = firestore.collection(collection);
  }

  private recordRef(campaignId: string) {
    return this.collection.doc(docIdOf(campaignId));
  }

  private countersRef(campaignId: string) {
    return this.recordRef(campaignId).collection(COUNTERS_SUBCOLLECTION).doc(COUNTERS_DOC);
  }

  async get(campaignId: string): Promise<CampaignRecord | undefined> {
    return (await this.recordRef(campaignId).get()).data() as CampaignRecord | undefined;
  }

  async put(record: CampaignRecord, expectedVersion: number): Promise<boolean> {
    const ref = this.recordRef(record.campaignId);
    const document = withoutUndefined(record);
    if (expectedVersion === 0) return writeIf(() => ref.create(document));
    const snapshot = await ref.get();
    if ((snapshot.data() as CampaignRecord | undefined)?.version !== expectedVersion) return false;
    const cleared = Object.fromEntries(
      OPTIONAL_FIELDS.filter((field) => record[field] === undefined).map((field) => [
        field,
        FieldValue.delete(),
      ]),
    );
    return updateIfUnchanged(ref, snapshot, { ...document, ...cleared });
  }

  async list(): Promise<CampaignRecord[]> {
    const page = await this.collection.get();
    return page.docs.map((d) => d.data() as CampaignRecord);
  }

  async addCounts(
    campaignId: string,
    delta: Readonly<Record<string, number>>,
    options?: { expiresAt?: Date },
  ): Promise<void> {
    const increments = Object.fromEntries(
      Object.entries(delta).map(([name, n]) => [name, FieldValue.increment(n)]),
    );
    if (Object.keys(increments).length === 0) return;
    const expiry = options?.expiresAt ? { [TTL_TIMESTAMP_FIELD]: Timestamp.fromDate(options.expiresAt) } : {};
    // set-with-merge takes counter names ("held:quiet_hours") as literal keys, not field paths.
    await this.countersRef(campaignId).set({ ...increments, ...expiry }, { merge: true });
  }

  async counts(campaignId: string): Promise<Record<string, number>> {
    const { [TTL_TIMESTAMP_FIELD]: _expireAt, ...counts } =
      (await this.countersRef(campaignId).get()).data() ?? {};
    return counts as Record<string, number>;
  }
}
