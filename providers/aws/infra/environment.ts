/**
 * Environment variable names the AWS functions read. Plain constants (no Pulumi, no SDK), so the
 * handlers import the same names the infra sets.
 */
export const FUNCTION_ENV = {
  streamName: "STREAM_NAME",
  responsesTable: "DYNAMODB_TABLE",
  optOutsTable: "OPT_OUTS_TABLE",
  sendLedgerTable: "SEND_LEDGER_TABLE",
  journeysTable: "JOURNEYS_TABLE",
  messageLogTable: "MESSAGE_LOG_TABLE",
  subscribersTable: "SUBSCRIBERS_TABLE",
  campaignsTable: "CAMPAIGNS_TABLE",
  /** Receipts analytics and archive parked until their message is known. */
  pendingReceiptsTable: "PENDING_RECEIPTS_TABLE",
  /** Replies held for opt-out review: the responses function writes them, the ticker checks holds. */
  optOutReviewsTable: "OPT_OUT_REVIEWS_TABLE",
  /** JSON {optOut, review}: where a reply's opt-out confidence opts out or goes to review. */
  optOutThresholds: "OPT_OUT_THRESHOLDS",
  /** JSON: the stack's validated circuitBreaker config; the analytics function pauses campaigns by it. */
  circuitBreaker: "CIRCUIT_BREAKER",
  /** Revocation SLA clocks: the responses function starts them, the ticker's monitor judges them. */
  revocationClocksTable: "REVOCATION_CLOCKS_TABLE",
  archiveBucket: "S3_BUCKET",
  archivePrefix: "S3_PREFIX",
  notificationTopicArn: "SNS_TOPIC_ARN",
  deadLetterQueueUrl: "DLQ_URL",
  logLevel: "LOG_LEVEL",
  serviceName: "POWERTOOLS_SERVICE_NAME",
  metricNamespace: "POWERTOOLS_METRICS_NAMESPACE",
  helpText: "HELP_TEXT",
  stopConfirmationText: "STOP_CONFIRMATION_TEXT",
  /** JSON array of core NotificationPattern. */
  notificationPatterns: "NOTIFICATION_PATTERNS",
  responseTtlDays: "RESPONSE_TTL_DAYS",
  configurationSet: "SMS_CONFIGURATION_SET",
  /** Phone number or pool ARN auto-replies are sent from; empty when none is configured. */
  originationIdentity: "SMS_ORIGINATION_IDENTITY",
} as const;

/** Read only by the responses function: the salt of the phone hash in notifications (a secret). */
export const RESPONSES_ENV = {
  phoneHashSalt: "PHONE_HASH_SALT",
  /** The consent evidence table; only the responses function appends to it. Absent: no evidence kept. */
  consentLogTable: "CONSENT_LOG_TABLE",
} as const;

/** Read only by the journey ticker, on top of every FUNCTION_ENV variable. */
export const TICKER_ENV = {
  /** Message parts per second the ticker may send. */
  tickMps: "TICK_MPS",
  /**
   * Seconds of sending one tick may do: its allowance is MPS times this. Below the schedule's
   * interval (see tickTimingOf), so a tick finishes before the next one.
   */
  tickIntervalSeconds: "TICK_INTERVAL_SECONDS",
  /** Spending cap of one tick in USD; absent = no cap. */
  tickBudgetUsd: "TICK_BUDGET_USD",
  /** The recipient-local hours sends are allowed in, [start, end); stricter states narrow the end. */
  sendWindowStartHour: "SEND_WINDOW_START_HOUR",
  sendWindowEndHour: "SEND_WINDOW_END_HOUR",
  /** Minutes an opt-out has before the revocation SLA monitor judges it. */
  revocationSlaMinutes: "REVOCATION_SLA_MINUTES",
} as const;

/** Read only by the enrollment function, on top of every FUNCTION_ENV variable. */
export const ENROLLMENT_ENV = {
  /** Audience rows one invocation enrolls before it hands the rest to the next chunk. */
  chunkRows: "ENROLLMENT_CHUNK_ROWS",
  /** The queue that carries "continue at line N" to the next chunk (the same function consumes it). */
  chunkQueueUrl: "ENROLLMENT_QUEUE_URL",
} as const;

export type FunctionEnvKey = keyof typeof FUNCTION_ENV;
