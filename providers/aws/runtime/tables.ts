/**
 * DynamoDB key design, shared by the runtime adapters and the Pulumi infra (which imports this
 * file), so deployed tables and the items the adapters write can never disagree.
 * Plain constants: importing this file loads no SDK.
 *
 * Every item attribute is snake_case (the stored response record is the seed's snake_case shape).
 */

export type KeyAttributeType = "S" | "N";

export interface KeyAttribute {
  name: string;
  type: KeyAttributeType;
}

export interface GlobalIndexDesign {
  name: string;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
  /** "ALL": queries on the index return whole items, no second read. */
  projection: "ALL" | "KEYS_ONLY";
}

export interface TableDesign {
  /** Logical name; the physical name comes from stack config or env. */
  logicalName: string;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
  globalIndexes: readonly GlobalIndexDesign[];
  /** Epoch-seconds attribute DynamoDB TTL deletes on; absent = items live forever. */
  ttlAttribute?: typeof TTL_ATTRIBUTE;
}

export const TTL_ATTRIBUTE = "ttl" as const;

/**
 * Replies. Partition = `subscriber_id` ("all replies of a subscriber"); when the subscriber is
 * unknown the adapter stores the E.164 phone number there (and drops it again on read).
 * Sort = `event_id`, so the idempotent put is `attribute_not_exists(event_id)` on a key derived
 * only from the event. `by_campaign` answers "all replies of a campaign" in time order;
 * `by_event` answers get(eventId) without knowing the subscriber.
 */
export const RESPONSES_TABLE = {
  logicalName: "responses",
  hashKey: { name: "subscriber_id", type: "S" },
  rangeKey: { name: "event_id", type: "S" },
  globalIndexes: [
    {
      name: "by_campaign",
      hashKey: { name: "campaign_id", type: "S" },
      rangeKey: { name: "response_timestamp", type: "S" },
      projection: "ALL",
    },
    { name: "by_event", hashKey: { name: "event_id", type: "S" }, projection: "ALL" },
  ],
  ttlAttribute: TTL_ATTRIBUTE,
} as const satisfies TableDesign;

/**
 * One item per phone number; `opted_out` flips, so STOP and START are conditional updates. An
 * erased number's item is replaced by its tombstone, keyed ERASED_PREFIX + salted hash.
 */
export const OPT_OUTS_TABLE = {
  logicalName: "opt-outs",
  hashKey: { name: "phone_number", type: "S" },
  globalIndexes: [],
} as const satisfies TableDesign;

export const ERASED_PREFIX = "erased#";

/** One item per send key (campaign or journey, subscriber, step); claim = conditional put. */
export const SEND_LEDGER_TABLE = {
  logicalName: "send-ledger",
  hashKey: { name: "ledger_key", type: "S" },
  globalIndexes: [],
} as const satisfies TableDesign;

/**
 * Journey progress per (journey, subscriber), written with an optimistic `version` condition.
 * `by_subscriber` routes replies; `by_wake` is sparse: only waiting journeys carry `wake_shard`
 * (the constant WAITING_SHARD), sorted by `wake_at`, so due() is one query.
 */
export const JOURNEYS_TABLE = {
  logicalName: "journeys",
  hashKey: { name: "journey_id", type: "S" },
  rangeKey: { name: "subscriber_id", type: "S" },
  globalIndexes: [
    {
      name: "by_subscriber",
      hashKey: { name: "subscriber_id", type: "S" },
      rangeKey: { name: "journey_id", type: "S" },
      projection: "ALL",
    },
    {
      name: "by_wake",
      hashKey: { name: "wake_shard", type: "S" },
      rangeKey: { name: "wake_at", type: "S" },
      projection: "ALL",
    },
  ],
} as const satisfies TableDesign;

/** Value of `wake_shard` on waiting journeys (the sparse `by_wake` index's only partition). */
export const WAITING_SHARD = "waiting";

/**
 * What we sent, keyed by provider message id. `by_phone` (phone_number + sent_at) gives the
 * newest message to a number with one descending query of one item. TTL: one year, like replies.
 */
export const MESSAGE_LOG_TABLE = {
  logicalName: "message-log",
  hashKey: { name: "message_id", type: "S" },
  globalIndexes: [
    {
      name: "by_phone",
      hashKey: { name: "phone_number", type: "S" },
      rangeKey: { name: "sent_at", type: "S" },
      projection: "ALL",
    },
  ],
  ttlAttribute: TTL_ATTRIBUTE,
} as const satisfies TableDesign;

/** Subscribers; `by_phone` resolves an inbound number to its subscriber. */
export const SUBSCRIBERS_TABLE = {
  logicalName: "subscribers",
  hashKey: { name: "subscriber_id", type: "S" },
  globalIndexes: [{ name: "by_phone", hashKey: { name: "phone_number", type: "S" }, projection: "ALL" }],
} as const satisfies TableDesign;

/**
 * Launched campaigns. Each campaign has two items under its `campaign_id`: `item` = "record" (the
 * campaign, written whole under an optimistic `version` condition) and `item` = "counters" (one
 * number attribute per counter, only ever changed by `ADD`), so a record write can never reset a
 * count. Listing scans the "record" items only (a stack holds tens of campaigns, not millions).
 */
export const CAMPAIGNS_TABLE = {
  logicalName: "campaigns",
  hashKey: { name: "campaign_id", type: "S" },
  rangeKey: { name: "item", type: "S" },
  globalIndexes: [],
  // Only counters added with an expiry carry it (the circuit breaker's hour items).
  ttlAttribute: TTL_ATTRIBUTE,
} as const satisfies TableDesign;

/** The oldest-first index of PENDING_RECEIPTS_TABLE: one query per batch sweep. */
export const PENDING_RECEIPTS_BY_AGE = "by_parked_at";

/**
 * Receipts the analytics and archive consumers parked (core/processing/parking.ts): partition =
 * `consumer`, sort = `event_id`, so parking is idempotent per consumer and event. `by_parked_at`
 * lists a consumer's oldest first. TTL only as a backstop (PARKED_RECEIPT_TTL_SECONDS).
 */
export const PENDING_RECEIPTS_TABLE = {
  logicalName: "pending-receipts",
  hashKey: { name: "consumer", type: "S" },
  rangeKey: { name: "event_id", type: "S" },
  globalIndexes: [
    {
      name: PENDING_RECEIPTS_BY_AGE,
      hashKey: { name: "consumer", type: "S" },
      rangeKey: { name: "parked_at", type: "S" },
      projection: "ALL",
    },
  ],
  ttlAttribute: TTL_ATTRIBUTE,
} as const satisfies TableDesign;

/** The pending reviews, oldest first (sparse: only pending reviews carry `pending_shard`). */
export const OPT_OUT_REVIEWS_BY_AGE = "by_received_at";

/**
 * The opt-out review queue (core OptOutReviewStore). Two kinds of item under `item_key`:
 * `review#<event id>`, one per held reply; and `hold#<phone number>`, whose string set `pending`
 * names the number's pending reviews. Putting and deciding a review write both in one transaction,
 * so isHeld() is one consistent read of the hold item (a send checks it just before it goes).
 */
export const OPT_OUT_REVIEWS_TABLE = {
  logicalName: "opt-out-reviews",
  hashKey: { name: "item_key", type: "S" },
  globalIndexes: [
    {
      name: OPT_OUT_REVIEWS_BY_AGE,
      hashKey: { name: "pending_shard", type: "S" },
      rangeKey: { name: "received_at", type: "S" },
      projection: "ALL",
    },
  ],
} as const satisfies TableDesign;

/**
 * Consent evidence (core/processing/consent.ts): one partition per phone number, so a number's
 * chain is one query. Under it, `item` = CONSENT_ENTRY_PREFIX + zero-padded sequence (sorting in
 * chain order) holds each entry, and `item` = CONSENT_EVENT_PREFIX + event id marks that the event
 * already made its entry. Both are written in one transaction, each conditional on not existing:
 * two appends racing for one sequence cannot both win (no fork), nor can one event append twice.
 * No TTL: evidence is kept until the number is erased.
 */
export const CONSENT_LOG_TABLE = {
  logicalName: "consent-log",
  hashKey: { name: "phone_number", type: "S" },
  rangeKey: { name: "item", type: "S" },
  globalIndexes: [],
} as const satisfies TableDesign;

export const CONSENT_ENTRY_PREFIX = "entry#";
export const CONSENT_EVENT_PREFIX = "event#";

/** The running clocks, oldest opt-out first (sparse: only clocks without a verdict carry `open_shard`). */
export const REVOCATION_CLOCKS_BY_OPT_OUT = "by_opted_out_at";

/**
 * Revocation SLA clocks (core RevocationClockStore): one item per opting-out event. The monitor
 * finds the due ones with one query of the sparse index; settling removes `open_shard`, so a judged
 * clock leaves the index. No TTL: the verdicts are compliance evidence, like the consent log.
 */
export const REVOCATION_CLOCKS_TABLE = {
  logicalName: "revocation-clocks",
  hashKey: { name: "event_id", type: "S" },
  globalIndexes: [
    {
      name: REVOCATION_CLOCKS_BY_OPT_OUT,
      hashKey: { name: "open_shard", type: "S" },
      rangeKey: { name: "opted_out_at", type: "S" },
      projection: "ALL",
    },
  ],
} as const satisfies TableDesign;

export const TABLES = {
  responses: RESPONSES_TABLE,
  optOuts: OPT_OUTS_TABLE,
  ledger: SEND_LEDGER_TABLE,
  journeys: JOURNEYS_TABLE,
  messages: MESSAGE_LOG_TABLE,
  subscribers: SUBSCRIBERS_TABLE,
  campaigns: CAMPAIGNS_TABLE,
  pendingReceipts: PENDING_RECEIPTS_TABLE,
  optOutReviews: OPT_OUT_REVIEWS_TABLE,
  consentLog: CONSENT_LOG_TABLE,
  revocations: REVOCATION_CLOCKS_TABLE,
} as const satisfies Record<string, TableDesign>;

export type TableId = keyof typeof TABLES;

/** One year in seconds: the TTL of replies and of the message log. */
export const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
