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
  /**
   * Consent evidence, a number's chain in its own partition (consent-log.ts). The unique key on
   * /event_id, per partition, lets one event make one entry; Cosmos sets unique keys only when a
   * container is created.
   */
  consentLog: { partitionKey: "/phone_number", uniqueKeys: ["/event_id"] },
} as const;
export type ContainerId = keyof typeof CONTAINERS;

/** The unique keys of a container (Cosmos `uniqueKeyPolicy`), each scoped to a logical partition. */
export const uniqueKeysOf = (id: ContainerId): readonly string[] => {
  const design: { partitionKey: string; uniqueKeys?: readonly string[] } = CONTAINERS[id];
  return design.uniqueKeys ?? [];
};

/**
 * Containers whose items expire after the stack's response TTL (Cosmos `defaultTtl`): replies
 * (each also carries its own `ttl`) and the message log that links them to what we sent.
 */
export const TTL_CONTAINERS: readonly ContainerId[] = ["responses", "messages"];

/**
 * A container's definition for the SDK's createIfNotExists, keyed and constrained as
 * infra/dataStore.ts creates it (the emulator runs and the tests create theirs this way).
 */
export const containerDefinitionOf = (id: ContainerId, name: string = id) => {
  const uniqueKeys = uniqueKeysOf(id);
  return {
    id: name,
    partitionKey: { paths: [CONTAINERS[id].partitionKey] },
    ...(uniqueKeys.length > 0
      ? { uniqueKeyPolicy: { uniqueKeys: uniqueKeys.map((path) => ({ paths: [path] })) } }
      : {}),
  };
};
