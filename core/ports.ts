/**
 * The interfaces every provider implements. Core code depends only on these; each port has one
 * contract suite (test/contracts/) that runs against every adapter, in-memory and cloud alike.
 */
import type { JourneyStep } from "./campaign/journey";
import type { MessageType, SmsEvent } from "./events/schema";

// ---------- clock ----------
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

// ---------- stream ----------
/** One record as it goes into (or comes out of) the stream: opaque bytes plus an ordering key. */
export interface StreamRecord {
  partitionKey: string;
  data: Uint8Array;
}

export interface PublishResult {
  /** Indices into the input array of records that could not be published after retries. */
  failed: number[];
}

export interface EventPublisher {
  publish(records: StreamRecord[]): Promise<PublishResult>;
}

// ---------- dead letter ----------
export interface DeadLetterEntry {
  /** The record exactly as received, never re-encoded. */
  raw: Uint8Array;
  reason: string;
  /** Where it came from: consumer name plus stream position, for example "archive:shard-0/49590". */
  source: string;
  receivedAt: string;
}

export interface DeadLetter {
  send(entry: DeadLetterEntry): Promise<void>;
}

// ---------- metrics ----------
export type MetricUnit = "Count" | "Percent" | "None" | "Milliseconds";

export interface MetricDatum {
  name: string;
  value: number;
  unit: MetricUnit;
  dimensions: Record<string, string>;
  /** ISO-8601 UTC, the start of the minute the datum describes. */
  timestamp: string;
}

export interface MetricsSink {
  emit(datums: MetricDatum[]): Promise<void>;
}

// ---------- responses ----------
export type ReplyCategory = "stop" | "help" | "start" | "yes" | "no" | "free_text";
export type Sentiment = "positive" | "negative" | "neutral";

/** The seed's response record (snake_case: it is the stored item's shape on every cloud). */
export interface ResponseRecord {
  event_id: string;
  subscriber_id?: string;
  phone_number: string;
  response_text: string;
  response_timestamp: string;
  campaign_id?: string;
  journey_id?: string;
  category: ReplyCategory;
  keyword?: string;
  sentiment: Sentiment;
  /**
   * What the opt-out intent engine made of the reply, so support staff can explain a decision:
   * its confidence (0-1; 1 for an exact carrier keyword), decision and rule. Absent when no rule matched.
   */
  opt_out_confidence?: number;
  opt_out_decision?: "opt_out" | "review" | "none";
  opt_out_rule?: string;
  /** Epoch seconds, one year after response_timestamp; the store's TTL attribute. */
  ttl: number;
}

export interface ResponsesStore {
  /** Idempotent on event_id: "created" the first time, "exists" for every replay. */
  put(record: ResponseRecord): Promise<"created" | "exists">;
  get(eventId: string): Promise<ResponseRecord | undefined>;
  bySubscriber(subscriberId: string): Promise<ResponseRecord[]>;
  byCampaign(campaignId: string): Promise<ResponseRecord[]>;
}

// ---------- opt-outs ----------
export interface OptOutStore {
  /**
   * Returns true only the first time a number opts out, so STOP is confirmed once. A retry of that
   * same opting-out event (same sourceEventId) returns true again, so a crash between the opt-out and
   * its confirmation cannot lose the confirmation (checked by test/contracts/opt-outs.contract.ts).
   */
  optOut(phoneNumber: string, at: string, sourceEventId: string): Promise<boolean>;
  /** Returns true if the number was opted out and is now opted back in. */
  optIn(phoneNumber: string): Promise<boolean>;
  isOptedOut(phoneNumber: string): Promise<boolean>;
}

// ---------- opt-out review (replies that may revoke consent, held for a person) ----------
export type OptOutReviewStatus = "pending" | "accepted" | "rejected";

/** A reply the opt-out intent engine placed between the review and opt-out thresholds. */
export interface OptOutReview {
  /** The reply's event id: one review per reply. */
  eventId: string;
  phoneNumber: string;
  /** The reply as received, so the reviewer reads what the subscriber wrote. */
  text: string;
  receivedAt: string;
  optOutConfidence: number;
  /** The lexicon rule that matched ("phrase.en.wrong-number"), as `smsctl classify` prints it. */
  rule: string;
  subscriberId?: string;
  campaignId?: string;
  journeyId?: string;
  status: OptOutReviewStatus;
  /** When a reviewer accepted or rejected it (ISO-8601). */
  decidedAt?: string;
}

export type OptOutReviewDecision = "accepted" | "rejected";

/**
 * The review queue. While any review of a number is pending, no marketing goes to it (isHeld):
 * a doubtful reply fails closed. Checked by test/contracts/opt-out-reviews.contract.ts.
 */
export interface OptOutReviewStore {
  /** Idempotent on eventId: "created" the first time; "exists" afterwards, the stored review unchanged. */
  put(review: Omit<OptOutReview, "status" | "decidedAt">): Promise<"created" | "exists">;
  get(eventId: string): Promise<OptOutReview | undefined>;
  /** Pending reviews, oldest receivedAt first, at most `limit`. */
  list(limit: number): Promise<OptOutReview[]>;
  /**
   * Settles a pending review and returns it as stored. The first decision stands: deciding again
   * (a retry, or the other decision) changes nothing and returns the review with its first
   * decision; undefined for an unknown event id.
   */
  decide(eventId: string, decision: OptOutReviewDecision, at: string): Promise<OptOutReview | undefined>;
  /** True while any review of the number is pending. */
  isHeld(phoneNumber: string): Promise<boolean>;
}

// ---------- consent evidence ----------
export type ConsentAction = "opt_in" | "opt_out";

/** What expressed the consent: the evidence's kind. */
export type ConsentSource =
  | "reply_keyword"
  /** A reply without a carrier keyword that the opt-out intent engine read as a revocation. */
  | "reply_intent"
  | "carrier_opt_out"
  | "audience_import"
  | "review_accept"
  | "provider_refusal";

/** One opt-in or opt-out as the caller states it; the log adds the chain fields. */
export interface ConsentRecord {
  phoneNumber: string;
  action: ConsentAction;
  source: ConsentSource;
  /** The keyword replied ("STOP"), or the wording the subscriber agreed to. */
  wording: string;
  /** When it happened (ISO-8601), from the causing event, not the time of writing. */
  at: string;
  /** The event that caused it: the log is idempotent on it, per phone number. */
  eventId: string;
}

/** A stored entry: the record plus its place in the phone number's own hash chain. */
export interface ConsentEntry extends ConsentRecord {
  /** 1 for a number's first entry, then +1 per entry, without gaps. */
  sequence: number;
  /** The hash of the entry before (CONSENT_GENESIS_HASH for sequence 1). */
  previousHash: string;
  /** SHA-256 (hex) of the canonical entry and previousHash (core/processing/consent.ts). */
  hash: string;
}

/**
 * An append-only, hash-chained log of every opt-in and opt-out, one chain per phone number, so a
 * subscriber's evidence stands alone (and can be exported or erased alone).
 */
export interface ConsentLog {
  /**
   * Appends at the end of the number's chain and returns the stored entry. Idempotent on
   * (phoneNumber, eventId): a retried event returns the entry it made the first time. Two appends
   * for one number at once never fork the chain: one waits for (or retries after) the other.
   */
  append(record: ConsentRecord): Promise<ConsentEntry>;
  /** The number's entries, sequence 1 first; empty for a number never seen. */
  entriesFor(phoneNumber: string): Promise<ConsentEntry[]>;
}

// ---------- revocation SLA (every opt-out starts a clock the monitor judges) ----------
/** What the revocation SLA monitor checks of every opt-out (core/processing/revocation-sla.ts). */
export type RevocationCheck = "confirmation_sent" | "suppressed" | "journeys_ended" | "no_send_after";

export interface RevocationFailure {
  check: RevocationCheck;
  /** Why it failed, without the phone number or any message body. */
  reason: string;
}

export interface RevocationVerdict {
  status: "met" | "breached";
  /** When the monitor judged it (ISO-8601). */
  checkedAt: string;
  /** Empty when met. */
  failures: RevocationFailure[];
}

/** One opt-out's clock: started by whoever opted the number out, judged once its window ends. */
export interface RevocationClock {
  /** The event that opted the number out: one clock per opt-out. */
  eventId: string;
  phoneNumber: string;
  /** When the subscriber revoked consent (the causing event's time): the window counts from here. */
  optedOutAt: string;
  source: ConsentSource;
  subscriberId?: string;
  /** False where the carrier itself answers (a carrier opt-out): no confirmation of ours is due. */
  confirmationExpected: boolean;
  /** When the sender accepted the confirmation, and the message id it gave. */
  confirmedAt?: string;
  confirmationMessageId?: string;
  /** Absent while the clock runs. */
  verdict?: RevocationVerdict;
}

export type RevocationClockStart = Omit<RevocationClock, "confirmedAt" | "confirmationMessageId" | "verdict">;

/** The running and judged clocks. Checked by test/contracts/revocation-clocks.contract.ts. */
export interface RevocationClockStore {
  /** Idempotent on eventId: "created" the first time; "exists" afterwards, the stored clock unchanged. */
  start(clock: RevocationClockStart): Promise<"created" | "exists">;
  /** Records the confirmation; the first one stands (a retry confirms under the same key). No-op for an unknown clock. */
  confirm(eventId: string, confirmedAt: string, messageId?: string): Promise<void>;
  /** Clocks without a verdict whose opt-out is at or before `optedOutBefore`, oldest first, at most `limit`. */
  due(optedOutBefore: string, limit: number): Promise<RevocationClock[]>;
  /** Records the verdict; true the first time, false (stored verdict unchanged) afterwards or for an unknown clock. */
  settle(eventId: string, verdict: RevocationVerdict): Promise<boolean>;
  /** Every clock, oldest opt-out first (for `smsctl compliance report`). */
  list(): Promise<RevocationClock[]>;
}

// ---------- erasure (data rights) ----------
/** Whom an erasure removes: the number, and every subscriber id the directory held for it. */
export interface ErasureSubject {
  phoneNumber: string;
  subscriberIds: string[];
}

/** What one store removed about a subject: where, how many, and their keys (any number masked). */
export interface ErasedItems {
  store: string;
  removed: number;
  keys: string[];
}

/**
 * A store that can remove everything it holds about one subject (its items keyed by or carrying the
 * number or one of the subscriber ids). Idempotent: erasing again removes nothing and says so.
 * Checked by test/contracts/erasure.contract.ts.
 */
export interface SubscriberEraser {
  erase(subject: ErasureSubject): Promise<ErasedItems>;
}

/**
 * What survives an erasure: the number's salted hash (core/redact.ts phoneHash), so the number stays
 * suppressed and the erasure can be proven, and the consent chain's head, so an export taken before
 * can still be matched against it. Never the number itself.
 */
export interface ErasureTombstone {
  phoneHash: string;
  erasedAt: string;
  /** The consent chain that was erased: its length and last hash (absent: the number had none). */
  consent?: { entries: number; headHash: string };
  /** Items and archive rows removed, in total; absent while the erasure is still under way. */
  removed?: number;
  /** SHA-256 of the printed receipt (core/processing/erasure.ts), absent while under way. */
  receiptHash?: string;
}

/** The tombstones of erased numbers, keyed by the salted hash. put() overwrites (the final receipt). */
export interface ErasureTombstoneStore {
  put(tombstone: ErasureTombstone): Promise<void>;
  get(phoneHash: string): Promise<ErasureTombstone | undefined>;
}

/** Answers whether a number was erased (the tombstone store and the deployment's salt, together). */
export interface ErasureGuard {
  isErased(phoneNumber: string): Promise<boolean>;
}

/** An archive whose objects can be rewritten only if unchanged since read (S3 ETag, blob ETag, GCS generation). */
export interface VersionedArchiveObject {
  body: Uint8Array;
  version: string;
}

export interface RewritableArchive extends ArchiveStore {
  getVersioned(key: string): Promise<VersionedArchiveObject | undefined>;
  /**
   * Overwrites `key` only while it is still at `version`: the new version, or undefined when someone
   * wrote it since (an emulator that ignores the condition always writes; see the erasure contract).
   */
  replaceIf(key: string, body: Uint8Array, contentType: string, version: string): Promise<string | undefined>;
}

// ---------- archive ----------
export interface ArchiveStore {
  /** Overwrites: keys are deterministic per batch, so a retried batch replaces its own file. */
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  list(prefix: string): Promise<string[]>;
}

// ---------- notifications ----------
export interface Notification {
  /** Stable per (event, pattern), so a transport with deduplication can drop replays. */
  id: string;
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

export interface Notifier {
  publish(notification: Notification): Promise<void>;
}

// ---------- sending ----------
export interface SendRequest {
  to: string;
  body: string;
  from?: string;
  messageType: MessageType;
  campaignId?: string;
  journeyId?: string;
  subscriberId?: string;
  /** Deterministic per (campaign or journey, subscriber, step). */
  idempotencyKey: string;
  maxPriceUsd?: number;
  ttlSeconds?: number;
}

export type SendResult =
  | { status: "sent"; messageId: string; parts?: number; priceUsd?: number }
  | { status: "throttled"; retryAfterMs?: number; reason: string }
  | { status: "opted_out"; reason: string }
  | { status: "invalid_number"; reason: string }
  | { status: "failed"; reason: string; retryable: boolean };

export interface SmsSender {
  send(request: SendRequest): Promise<SendResult>;
}

// ---------- subscribers ----------
export interface Subscriber {
  subscriberId: string;
  phoneNumber: string;
  /** IANA zone, when the source knows it. */
  timeZone?: string;
  attributes: Record<string, string>;
}

export interface SubscriberDirectory {
  get(subscriberId: string): Promise<Subscriber | undefined>;
  findByPhone(phoneNumber: string): Promise<Subscriber | undefined>;
  upsert(subscriber: Subscriber): Promise<void>;
  list(): AsyncIterable<Subscriber>;
}

// ---------- send ledger (one send per campaign, subscriber and step) ----------
export type SendLedgerState =
  | { state: "pending"; at: string }
  | { state: "sent"; at: string; messageId: string }
  | { state: "skipped"; at: string; reason: string };

export interface SendLedger {
  /** Claims the key: true for the first claimer, false if any state already exists. */
  claim(key: string, at: string): Promise<boolean>;
  settle(key: string, state: Exclude<SendLedgerState, { state: "pending" }>): Promise<void>;
  get(key: string): Promise<SendLedgerState | undefined>;
}

// ---------- message log (links replies to what we sent) ----------
export interface SentMessage {
  messageId: string;
  phoneNumber: string;
  sentAt: string;
  campaignId?: string;
  journeyId?: string;
  subscriberId?: string;
}

export interface MessageLog {
  /** Idempotent on messageId. Fed from `sent`/`queued` events on the stream, so it works on every cloud. */
  record(message: SentMessage): Promise<void>;
  /**
   * Optional: record() for each message, in fewer round trips, with the same first-wins idempotency
   * (logSentMessages in core/processing/responses.ts falls back to record() one by one).
   */
  recordAll?(messages: SentMessage[]): Promise<void>;
  get(messageId: string): Promise<SentMessage | undefined>;
  /** The newest message sent to a number: the link for providers that give no in-reply-to id. */
  lastTo(phoneNumber: string): Promise<SentMessage | undefined>;
  /**
   * The messages sent to a number with `from` <= sentAt <= `until` (ISO-8601), oldest first, at
   * most `limit`: one bounded query on the same (number, sentAt) index as lastTo. The revocation
   * monitor reads what went to a number after its opt-out with it; oldest first, so the sends
   * before any later opt-in come before the consented ones, and the limit cuts the latter first.
   */
  sentBetween(phoneNumber: string, range: SentRange): Promise<SentMessage[]>;
}

/** A bounded sentAt range of MessageLog.sentBetween (both ends included). */
export interface SentRange {
  from: string;
  until: string;
  limit: number;
}

// ---------- parked receipts (receipts waiting for the message they report on) ----------
export interface ReceiptClaim {
  /** The batch that claims: the same records give the same claimant. */
  claimant: string;
  /** ISO-8601 instants: the claim is taken at `now` and holds until `until`. */
  now: string;
  until: string;
}

export interface ParkedReceipt {
  event: SmsEvent;
  /** When the consumer parked it (ISO-8601, its own clock): the age that ends the wait. */
  parkedAt: string;
}

/**
 * Receipts a consumer could not attribute yet (their queued event trails them on another shard),
 * kept until the message log knows their message or they are too old to wait for. Keyed per
 * consumer ("analytics", "archive") so each resolves its own.
 */
export interface PendingReceiptStore {
  /** Idempotent on (consumer, event.eventId): parking again keeps the first parkedAt. */
  park(consumer: string, event: SmsEvent, parkedAt: string): Promise<void>;
  /** The consumer's parked receipts, oldest parkedAt first, at most `limit`. */
  list(consumer: string, limit: number): Promise<ParkedReceipt[]>;
  /**
   * Takes a parked receipt for one batch (`claimant`) until `until` (ISO-8601): true for exactly
   * one claimant while the claim holds (again for that claimant: a retried batch keeps its own),
   * false when another holds it or it is gone. Concurrent batches sweep the same oldest receipts,
   * so only the winner processes one; a claim that lapses (its batch died before it removed the
   * receipt) can be won by another, so nothing is lost.
   */
  claim(consumer: string, eventId: string, claim: ReceiptClaim): Promise<boolean>;
  /** Idempotent: removing an absent receipt is not an error. */
  remove(consumer: string, eventId: string): Promise<void>;
}

// ---------- journeys ----------
export interface JourneyState {
  journeyId: string;
  subscriberId: string;
  phoneNumber: string;
  /** Id of the step to run next. */
  stepId: string;
  status: "active" | "waiting" | "done";
  /** When a waiting journey should wake up (ISO-8601). */
  wakeAt?: string;
  /** For branch-on-reply: the keyword that arrived, if any. */
  lastReply?: string;
  /** Optimistic concurrency: incremented on every write. */
  version: number;
  updatedAt: string;
}

export interface JourneyStore {
  get(journeyId: string, subscriberId: string): Promise<JourneyState | undefined>;
  /** Writes when the stored version equals expectedVersion (0 = must not exist); false on conflict. */
  put(state: JourneyState, expectedVersion: number): Promise<boolean>;
  /** Journeys of a subscriber that are waiting or active, for reply routing. */
  bySubscriber(subscriberId: string): Promise<JourneyState[]>;
  /** Waiting journeys whose wakeAt is at or before `at`. */
  due(at: string, limit: number): Promise<JourneyState[]>;
}

// ---------- campaigns (a journey run over one audience, launched into a stack) ----------
export type CampaignStatus = "enrolling" | "running" | "paused" | "cancelled";

export interface CampaignRecord {
  campaignId: string;
  /** The journey it runs ("welcome-series"), or "message" for a one-step confirmation. */
  journeyName: string;
  /** The journey's steps as launched, so a later change to the code does not change a running campaign. */
  steps: JourneyStep[];
  status: CampaignStatus;
  /** Where the audience was uploaded (object key in the stack's storage). */
  audienceKey: string;
  /** Set when the last enrollment chunk finished. */
  enrolledAt?: string;
  /** Who paused it, while it is paused: an operator (`smsctl campaign pause`) or the circuit breaker. */
  pausedBy?: "operator" | "circuit_breaker";
  /** The circuit breaker's last trip: why, with the figures. Kept after a resume, as history. */
  breakerTrip?: BreakerTrip;
  /** The last resume; the circuit breaker counts only what happened after it. */
  resumedAt?: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency, as for journeys. */
  version: number;
}

/** One circuit-breaker rule over the window: count of `of` (e.g. blocked of final receipts). */
export interface BreakerRuleFigure {
  rule: string;
  count: number;
  of: number;
  ratePercent: number;
  thresholdPercent: number;
  /** Judged (the sample was large enough) and above the threshold. */
  crossed: boolean;
}

/** Why the circuit breaker paused a campaign (see core/campaign/circuit-breaker.ts). */
export interface BreakerTrip {
  /** Stable per (campaign, window): the notification's id derives from it. */
  tripId: string;
  /** The end of the window that tripped (the newest event's minute), ISO-8601. */
  trippedAt: string;
  /** First and last minute of the window ("YYYY-MM-DDTHH:MM", UTC). */
  windowFrom: string;
  windowTo: string;
  windowMinutes: number;
  minSample: number;
  /** The first rule crossed. */
  reason: string;
  figures: BreakerRuleFigure[];
  /** Set once the notification was published. */
  notified: boolean;
}

export interface CampaignStore {
  get(campaignId: string): Promise<CampaignRecord | undefined>;
  /** Writes when the stored version equals expectedVersion (0 = must not exist); false on conflict. Never touches the counters. */
  put(record: CampaignRecord, expectedVersion: number): Promise<boolean>;
  /** Every campaign, cancelled ones too, so the ticker can end their journeys. */
  list(): Promise<CampaignRecord[]>;
  /**
   * Adds to named counters atomically (concurrent adders never lose an increment). With
   * `expiresAt`, a store with a TTL (DynamoDB, Cosmos DB, Firestore) may delete these counters
   * some time after it: for counters nobody reads once their time has passed.
   */
  addCounts(
    campaignId: string,
    delta: Readonly<Record<string, number>>,
    options?: { expiresAt?: Date },
  ): Promise<void>;
  counts(campaignId: string): Promise<Record<string, number>>;
}

/**
 * What `smsctl campaign` needs of a deployed stack, built from its outputs (`pulumi stack output
 * --json`): the campaign store, and the stack's own storage for the audience upload whose arrival
 * starts the enrollment function.
 */
export interface CampaignStack {
  /** The cloud and where: "aws eu-west-1 bucket sms-archive-1a2b", for the CLI's first line. */
  describe(): string;
  campaigns: CampaignStore;
  /** Writes the audience CSV to the stack's storage at `key` (see audienceKeyOf), encrypted at rest. */
  uploadAudience(key: string, csv: Uint8Array): Promise<void>;
  /** The revocation clocks the stack's ticker judges; absent when the outputs (an older deploy) name none. */
  revocations?: RevocationClockStore;
}

/** Every adapter a processing function may need; handlers build one per cold start. */
export interface Ports {
  clock: Clock;
  publisher: EventPublisher;
  deadLetter: DeadLetter;
  metrics: MetricsSink;
  responses: ResponsesStore;
  optOuts: OptOutStore;
  archive: ArchiveStore;
  notifier: Notifier;
  sender: SmsSender;
  subscribers: SubscriberDirectory;
  ledger: SendLedger;
  journeys: JourneyStore;
  messages: MessageLog;
  /** Optional: without it a receipt still unknown after the retries is processed as unattributed at once. */
  pendingReceipts?: PendingReceiptStore;
  /**
   * Optional: without it a reply in the review band is handled as an opt-out (fail-closed), and
   * sends check opt-outs only.
   */
  optOutReviews?: OptOutReviewStore;
  /** Optional: without it opt-ins and opt-outs still apply, but leave no consent evidence. */
  consentLog?: ConsentLog;
  /** Optional: without it opt-outs start no revocation clock, and the SLA monitor has nothing to judge. */
  revocations?: RevocationClockStore;
  /** Optional: without it erased numbers are not screened out (no erasure has been made). */
  erasures?: ErasureGuard;
}

export type { SmsEvent };
