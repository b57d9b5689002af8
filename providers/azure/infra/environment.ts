/**
 * App setting names of the Azure functions, shared by the infrastructure (which sets them) and the
 * runtime (which validates them once at start-up), so the two cannot drift.
 */
export const FUNCTION_ENV = {
  /** Which of the three consumers this function app runs (analytics, responses, archive). */
  handler: "SMS_HANDLER",
  /** The identity-based Event Hubs connection the trigger uses: `<prefix>__fullyQualifiedNamespace`. */
  eventHubsNamespace: "EventHubConnection__fullyQualifiedNamespace",
  eventHubName: "EVENT_HUB_NAME",
  consumerGroup: "EVENT_HUB_CONSUMER_GROUP",
  cosmosEndpoint: "COSMOS_ENDPOINT",
  cosmosDatabase: "COSMOS_DATABASE",
  responsesContainer: "RESPONSES_CONTAINER",
  optOutsContainer: "OPT_OUTS_CONTAINER",
  sendLedgerContainer: "SEND_LEDGER_CONTAINER",
  journeysContainer: "JOURNEYS_CONTAINER",
  messageLogContainer: "MESSAGE_LOG_CONTAINER",
  subscribersContainer: "SUBSCRIBERS_CONTAINER",
  archiveBlobEndpoint: "ARCHIVE_BLOB_ENDPOINT",
  archiveContainer: "ARCHIVE_CONTAINER",
  archivePrefix: "ARCHIVE_PREFIX",
  serviceBusNamespace: "SERVICE_BUS_NAMESPACE",
  notificationTopic: "NOTIFICATION_TOPIC",
  deadLetterQueue: "DEAD_LETTER_QUEUE",
  appInsightsConnectionString: "APPLICATIONINSIGHTS_CONNECTION_STRING",
  appInsightsAuthentication: "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
  /** The client id of the function's user-assigned identity (DefaultAzureCredential reads it). */
  managedIdentityClientId: "AZURE_CLIENT_ID",
  acsEndpoint: "ACS_ENDPOINT",
  senderNumber: "SMS_SENDER_NUMBER",
  logLevel: "LOG_LEVEL",
  serviceName: "SERVICE_NAME",
  metricNamespace: "METRIC_NAMESPACE",
  helpText: "HELP_TEXT",
  stopConfirmationText: "STOP_CONFIRMATION_TEXT",
  notificationPatterns: "NOTIFICATION_PATTERNS",
  responseTtlDays: "RESPONSE_TTL_DAYS",
  /** In-process attempts of a failing record before it is dead-lettered (see handlers/README.md). */
  recordMaxAttempts: "RECORD_MAX_ATTEMPTS",
  campaignsContainer: "CAMPAIGNS_CONTAINER",
  /** Receipts analytics and archive parked until the message log knows their message. */
  pendingReceiptsContainer: "PENDING_RECEIPTS_CONTAINER",
  /** Replies held for opt-out review: the responses function writes them, the ticker checks holds. */
  optOutReviewsContainer: "OPT_OUT_REVIEWS_CONTAINER",
  /** Revocation SLA clocks: the responses function starts them, the ticker's monitor judges them. */
  revocationClocksContainer: "REVOCATION_CLOCKS_CONTAINER",
  /** Minutes an opt-out has before the ticker's revocation SLA monitor judges it. */
  revocationSlaMinutes: "REVOCATION_SLA_MINUTES",
  /** JSON {optOut, review}: where a reply's opt-out confidence opts out or goes to review. */
  optOutThresholds: "OPT_OUT_THRESHOLDS",
  /** JSON: the stack's validated circuitBreaker config; the analytics function pauses campaigns by it. */
  circuitBreaker: "CIRCUIT_BREAKER",
  /** Where `smsctl campaign launch` uploads audiences (campaigns/<id>/audience.csv). */
  audienceBlobEndpoint: "AUDIENCE_BLOB_ENDPOINT",
  audienceContainer: "AUDIENCE_CONTAINER",
  /** Blob-created events and next-chunk hand-offs, both consumed by the enrollment function. */
  enrollmentQueue: "ENROLLMENT_QUEUE",
  /** The identity-based Service Bus connection the enrollment trigger uses. */
  serviceBusTriggerNamespace: "ServiceBusConnection__fullyQualifiedNamespace",
  /** The ticker's NCRONTAB schedule, read by the timer binding as %TICK_SCHEDULE%. */
  tickSchedule: "TICK_SCHEDULE",
  /** Seconds between ticks, derived from the schedule: a tick's allowance is MPS times this. */
  tickIntervalSeconds: "TICK_INTERVAL_SECONDS",
  tickMps: "TICK_MPS",
  /** Spending cap of one tick in USD; empty = none. */
  tickBudgetUsd: "TICK_BUDGET_USD",
  sendWindowStartHour: "SEND_WINDOW_START_HOUR",
  sendWindowEndHour: "SEND_WINDOW_END_HOUR",
  enrollmentChunkRows: "ENROLLMENT_CHUNK_ROWS",
} as const;

/** Read by the responses function only, except the salt. */
export const RESPONSES_ENV = {
  /**
   * The salt of the phone hash (a secret): responses hashes numbers in notifications with it, and
   * responses, archive and the campaigns app look erased numbers' tombstones up by it.
   */
  phoneHashSalt: "PHONE_HASH_SALT",
  /** The consent evidence container; only the responses app appends to it. Absent: no evidence kept. */
  consentLogContainer: "CONSENT_LOG_CONTAINER",
} as const;

export type FunctionEnvKey = keyof typeof FUNCTION_ENV;

/** Operational metrics every consumer emits per batch; the consumer-lag alert reads `lag`. */
export const OPERATIONAL_METRIC = {
  received: "RecordsReceived",
  deadLettered: "RecordsDeadLettered",
  lag: "ConsumerLagMs",
} as const;
