/**
 * The Cosmos DB containers and their partition keys, as the adapters in this folder read and write
 * them; infra/dataStore.ts creates exactly these (like the AWS runtime's tables.ts).
 */
export const CONTAINERS = {
  responses: { partitionKey: "/subscriber_id" },
  optOuts: { partitionKey: "/phone_number" },
  ledger: { partitionKey: "/id" },
  journeys: { partitionKey: "/subscriber_id" },
  messages: { partitionKey: "/phone_number" },
  subscribers: { partitionKey: "/id" },
  /** A campaign's record and its counters share one logical partition (campaign-store.ts). */
  campaigns: { partitionKey: "/campaign_id" },
  /** Parked receipts: a consumer's sweep reads its own partition (pending-receipts.ts). */
  pendingReceipts: { partitionKey: "/consumer" },
  /** Replies held for opt-out review: a send's hold check reads the number's own partition (opt-out-reviews.ts). */
  optOutReviews: { partitionKey: "/phone_number" },
  /** Revocation SLA clocks: one per opt-out, each a point read by its id (revocation-clocks.ts). */
  revocations: { partitionKey: "/id" },
} as const;
export type ContainerId = keyof typeof CONTAINERS;

/**
 * Containers whose items expire after the stack's response TTL (Cosmos `defaultTtl`): replies
 * (each also carries its own `ttl`) and the message log that links them to what we sent.
 */
export const TTL_CONTAINERS: readonly ContainerId[] = ["responses", "messages"];
