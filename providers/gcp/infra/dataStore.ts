import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CAMPAIGN_COUNTERS_SUBCOLLECTION, TTL_TIMESTAMP_FIELD } from "./environment";

export const DATA_STORE_TYPE = "sms:gcp:DataStore";

export const COLLECTION_IDS = [
  "responses",
  "optOuts",
  "ledger",
  "journeys",
  "messages",
  "subscribers",
  "campaigns",
  "pendingReceipts",
  "optOutReviews",
  /**
   * Consent evidence (runtime/consent-log.ts): no TTL, kept until the number is erased. Written
   * with create() only; Firestore IAM stops at the database, so deletes cannot be denied to the
   * responses function here: the hash chain shows an altered or removed entry, and PITR recovers it.
   */
  "consentLog",
  "revocations",
] as const;
export type CollectionId = (typeof COLLECTION_IDS)[number];

/**
 * Collections whose documents carry a TTL timestamp: replies and what we sent (one year, personal
 * data), and parked receipts (a backstop, see PARKED_RECEIPT_TTL_SECONDS).
 */
export const TTL_COLLECTIONS: readonly CollectionId[] = ["responses", "messages", "pendingReceipts"];

export interface DataStoreArgs {
  databaseName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
  collections: Record<CollectionId, string>;
}

/**
 * One Firestore database (native mode, CMEK, point-in-time recovery, delete protection) holding
 * every collection, TTL policies on the reply, message-log and expiring-counter timestamps, and
 * the composite indexes the runtime's queries need (newest message to a number, and its messages
 * in a range oldest first; oldest parked receipts; due waiting journeys; pending opt-out reviews,
 * oldest first).
 */
export class DataStore extends pulumi.ComponentResource {
  public readonly database: gcp.firestore.Database;
  public readonly ttlFields: gcp.firestore.Field[];
  public readonly indexes: gcp.firestore.Index[];
  public readonly databaseName: pulumi.Output<string>;
  public readonly collections: Record<CollectionId, string>;

  constructor(name: string, args: DataStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DATA_STORE_TYPE, name, {}, opts);
    this.collections = args.collections;
    this.database = new gcp.firestore.Database(
      `${name}-database`,
      {
        name: args.databaseName,
        locationId: args.location,
        type: "FIRESTORE_NATIVE",
        cmekConfig: { kmsKeyName: args.kmsKeyName },
        pointInTimeRecoveryEnablement: "POINT_IN_TIME_RECOVERY_ENABLED",
        deleteProtectionState: "DELETE_PROTECTION_ENABLED",
      },
      { parent: this },
    );
    this.databaseName = this.database.name;
    const child = { parent: this, dependsOn: [this.database] };
    const ttlField = (id: string, collection: pulumi.Input<string>) =>
      new gcp.firestore.Field(
        `${name}-${id}-ttl`,
        {
          database: this.database.name,
          collection,
          field: TTL_TIMESTAMP_FIELD,
          ttlConfig: {},
          // A TTL field needs no index; indexing a monotonically growing timestamp only costs writes.
          indexConfig: {},
        },
        child,
      );
    this.ttlFields = [
      ...TTL_COLLECTIONS.map((id) => ttlField(id, args.collections[id])),
      // The campaigns' counters collection group: the circuit breaker's hour items expire.
      ttlField("campaign-counters", CAMPAIGN_COUNTERS_SUBCOLLECTION),
    ];
    this.indexes = [
      new gcp.firestore.Index(
        `${name}-messages-by-phone`,
        {
          database: this.database.name,
          collection: args.collections.messages,
          fields: [
            { fieldPath: "phoneNumber", order: "ASCENDING" },
            { fieldPath: "sentAt", order: "DESCENDING" },
          ],
        },
        child,
      ),
      // The revocation monitor's sends to a number in a range, oldest first: an index serves one direction.
      new gcp.firestore.Index(
        `${name}-messages-by-phone-oldest`,
        {
          database: this.database.name,
          collection: args.collections.messages,
          fields: [
            { fieldPath: "phoneNumber", order: "ASCENDING" },
            { fieldPath: "sentAt", order: "ASCENDING" },
          ],
        },
        child,
      ),
      new gcp.firestore.Index(
        `${name}-pending-receipts-oldest`,
        {
          database: this.database.name,
          collection: args.collections.pendingReceipts,
          fields: [
            { fieldPath: "consumer", order: "ASCENDING" },
            { fieldPath: "parkedAt", order: "ASCENDING" },
          ],
        },
        child,
      ),
      new gcp.firestore.Index(
        `${name}-opt-out-reviews-pending`,
        {
          database: this.database.name,
          collection: args.collections.optOutReviews,
          fields: [
            { fieldPath: "status", order: "ASCENDING" },
            { fieldPath: "receivedAt", order: "ASCENDING" },
            { fieldPath: "eventId", order: "ASCENDING" },
          ],
        },
        child,
      ),
      new gcp.firestore.Index(
        `${name}-revocation-clocks-due`,
        {
          database: this.database.name,
          collection: args.collections.revocations,
          fields: [
            { fieldPath: "open", order: "ASCENDING" },
            { fieldPath: "optedOutAt", order: "ASCENDING" },
            { fieldPath: "eventId", order: "ASCENDING" },
          ],
        },
        child,
      ),
      new gcp.firestore.Index(
        `${name}-journeys-due`,
        {
          database: this.database.name,
          collection: args.collections.journeys,
          fields: [
            { fieldPath: "status", order: "ASCENDING" },
            { fieldPath: "wakeAt", order: "ASCENDING" },
          ],
        },
        child,
      ),
    ];
    this.registerOutputs({ databaseName: this.databaseName });
  }
}
