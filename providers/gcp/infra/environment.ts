/**
 * Environment variable names the GCP functions read. Plain constants (no Pulumi, no SDK), so the
 * handlers import the same names the infra sets.
 */
export const FUNCTION_ENV = {
  /**
   * The salt of the phone hash (a secret): responses hashes numbers in notifications with it, and
   * responses, archive, ticker and enrollment look erased numbers' tombstones up by it.
   */
  phoneHashSalt: "PHONE_HASH_SALT",
  project: "GOOGLE_CLOUD_PROJECT",
  firestoreDatabase: "FIRESTORE_DATABASE",
  responsesCollection: "RESPONSES_COLLECTION",
  optOutsCollection: "OPT_OUTS_COLLECTION",
  sendLedgerCollection: "SEND_LEDGER_COLLECTION",
  journeysCollection: "JOURNEYS_COLLECTION",
  messageLogCollection: "MESSAGE_LOG_COLLECTION",
  subscribersCollection: "SUBSCRIBERS_COLLECTION",
  campaignsCollection: "CAMPAIGNS_COLLECTION",
  /** Receipts analytics and archive parked until the message log knows their message. */
  pendingReceiptsCollection: "PENDING_RECEIPTS_COLLECTION",
  /** Replies held for opt-out review: the responses function writes them, the ticker checks holds. */
  optOutReviewsCollection: "OPT_OUT_REVIEWS_COLLECTION",
  /** Consent evidence (read only by the responses function, which appends to it). Absent: none kept. */
  consentLogCollection: "CONSENT_LOG_COLLECTION",
  /** JSON {optOut, review}: where a reply's opt-out confidence opts out or goes to review. */
  optOutThresholds: "OPT_OUT_THRESHOLDS",
  /** JSON: the stack's validated circuitBreaker config; the analytics function pauses campaigns by it. */
  circuitBreaker: "CIRCUIT_BREAKER",
  /** Revocation SLA clocks: the responses function starts them, the ticker's monitor judges them. */
  revocationClocksCollection: "REVOCATION_CLOCKS_COLLECTION",
  /** Minutes an opt-out has before the ticker's revocation SLA monitor judges it. */
  revocationSlaMinutes: "REVOCATION_SLA_MINUTES",
  eventsTopic: "EVENTS_TOPIC",
  archiveBucket: "ARCHIVE_BUCKET",
  archivePrefix: "ARCHIVE_PREFIX",
  notificationTopic: "NOTIFICATION_TOPIC",
  deadLetterTopic: "DEAD_LETTER_TOPIC",
  metricNamespace: "METRIC_NAMESPACE",
  logLevel: "LOG_LEVEL",
  helpText: "HELP_TEXT",
  stopConfirmationText: "STOP_CONFIRMATION_TEXT",
  /** JSON array of core NotificationPattern. */
  notificationPatterns: "NOTIFICATION_PATTERNS",
  responseTtlDays: "RESPONSE_TTL_DAYS",
  twilioAccountSid: "TWILIO_ACCOUNT_SID",
  twilioMessagingServiceSid: "TWILIO_MESSAGING_SERVICE_SID",
  /** The webhook's own URL: Twilio's status callbacks for our replies come back to it. */
  twilioStatusCallbackUrl: "TWILIO_STATUS_CALLBACK_URL",
  /** From Secret Manager (a secret environment variable), never a plain value. */
  twilioAuthToken: "TWILIO_AUTH_TOKEN",
  /** The public URL Twilio posts to, when a proxy hides it from the request (signatures cover it). */
  webhookPublicUrl: "WEBHOOK_PUBLIC_URL",
  /** Where `smsctl campaign launch` uploads audiences (campaigns/<id>/audience.csv). */
  audienceBucket: "AUDIENCE_BUCKET",
  /** The topic the enrollment function hands its next chunk on through (and hears uploads on). */
  enrollmentTopic: "ENROLLMENT_TOPIC",
  /** Rows one enrollment invocation handles before it hands the rest on. */
  enrollmentChunkRows: "ENROLLMENT_CHUNK_ROWS",
  /** Message parts per second the ticker paces to (the sender's MPS). */
  tickMps: "TICK_MPS",
  /** Seconds between ticks (the scheduler's rate): a tick sends at most MPS x this many parts. */
  tickIntervalSeconds: "TICK_INTERVAL_SECONDS",
  /** Spending cap of one tick in USD; none when absent. */
  tickBudgetUsd: "TICK_BUDGET_USD",
  /** The recipient-local hours sends are allowed in (quiet hours outside). */
  sendWindowStartHour: "SEND_WINDOW_START_HOUR",
  sendWindowEndHour: "SEND_WINDOW_END_HOUR",
} as const;

export type FunctionEnvKey = keyof typeof FUNCTION_ENV;

/** The Firestore field the TTL policy reads: a Timestamp, one year after the reply (`ttl` stays epoch seconds). */
export const TTL_TIMESTAMP_FIELD = "expireAt";

/** The subcollection of each campaign holding its counters (a collection group, with its own TTL policy). */
export const CAMPAIGN_COUNTERS_SUBCOLLECTION = "counters";

/** The Functions Framework targets (entry points), one per function. */
export const FUNCTION_TARGETS = {
  analytics: "analytics",
  responses: "responses",
  archive: "archive",
  webhook: "twilioWebhook",
  ticker: "ticker",
  enrollment: "enrollment",
} as const;

export const CONSUMER_NAMES = ["analytics", "responses", "archive"] as const;
export type ConsumerName = (typeof CONSUMER_NAMES)[number];
export type GcpFunctionName = keyof typeof FUNCTION_TARGETS;

/** Labels every log-based metric extracts from the metrics sink's log lines (runtime/metrics-sink.ts). */
export const METRIC_LABELS = ["campaignId", "scope"] as const;
/** The `scope` label of the stack-wide series the alerts read. */
export const STACK_SCOPE = "stack";

/**
 * The stack outputs `smsctl campaign` reaches a deployed GCP stack by (runtime/campaign-stack.ts):
 * gcpPipelineOutputs exports each under this name, connectGcpStack requires each.
 */
export const CAMPAIGN_STACK_OUTPUTS = [
  "project",
  "region",
  "firestoreDatabase",
  "campaignsCollection",
  "audienceBucket",
] as const;
export type CampaignStackOutput = (typeof CAMPAIGN_STACK_OUTPUTS)[number];

/**
 * The revocation clocks collection `smsctl compliance report --stack` lists. Not in
 * CAMPAIGN_STACK_OUTPUTS: a stack deployed before it still launches campaigns.
 */
export const REVOCATION_CLOCKS_OUTPUT = "revocationClocksCollection";
