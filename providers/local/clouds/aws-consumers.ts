/**
 * The three Lambda functions of the AWS stack, built from their handler factories with the local
 * adapters, and wired to the poller with the event source mapping settings of the stack config.
 */
import type { CircuitBreakerSettings } from "../../../core/campaign/circuit-breaker";
import type { Clock, DeadLetter, MetricsSink, Notifier, SmsSender } from "../../../core/ports";
import type { ResponsesPorts, ResponsesSettings } from "../../../core/processing/responses";
import { createAnalyticsHandler } from "../../aws/handlers/analytics";
import { createArchiveHandler } from "../../aws/handlers/archive";
import { createObservability } from "../../aws/handlers/observability";
import { createResponsesHandler } from "../../aws/handlers/responses";
import type { AwsStackConfig } from "../../aws/infra/config";
import type { S3ArchiveStore } from "../../aws/runtime/archive-store";
import { SystemClock } from "../../aws/runtime/clock";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../bootstrap/resources";
import type { ConsumerSpec } from "../poller/poller";
import { type EventSourceMappingSettings, EventSourceMappingSettingsSchema } from "../poller/settings";
import type { OnFailureDestination } from "../poller/types";
import type { RunStores } from "../run/stores";

export const FUNCTION_NAMES = {
  analytics: "sms-analytics",
  responses: "sms-responses",
  archive: "sms-archive",
} as const;

export const functionArnOf = (name: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

/** The deployed mappings' settings (see providers/aws/infra/streamFunction.ts), from the stack config. */
export function mappingSettingsOf(config: AwsStackConfig): EventSourceMappingSettings {
  return EventSourceMappingSettingsSchema.parse({
    batchSize: config.batchSize,
    maximumBatchingWindowInSeconds: config.batchWindowSeconds,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: config.maximumRetryAttempts,
    maximumRecordAgeInSeconds: config.maximumRecordAgeSeconds,
    reportBatchItemFailures: true,
  });
}

export interface ConsumerDeps {
  settings: EventSourceMappingSettings;
  onFailure: OnFailureDestination;
  deadLetter: DeadLetter;
  metrics: MetricsSink;
  archive: S3ArchiveStore;
  stores: RunStores;
  notifier: Notifier;
  /** Sends the HELP and STOP auto-replies. */
  autoReplies: SmsSender;
  responsesSettings: ResponsesSettings;
  /** How the responses function moves journeys on a reply (the launched campaigns' too, through a catalog). */
  journeyRouting?: ResponsesPorts["journeyRouting"];
  /**
   * The responses function's clock: the run's simulated one, so a reply taking a branch leaves the
   * journey due at the reply's simulated instant. Analytics and archive keep the wall clock: they
   * wait for the message log, which fills in real time.
   */
  responsesClock?: Clock;
  /** Print the functions' Powertools logs (see quietObservability). */
  functionLogs?: boolean;
  /** The analytics function's circuit breaker, over the run's campaign store; none when absent. */
  circuitBreaker?: CircuitBreakerSettings;
}

/**
 * Operational EMF metrics stay quiet (the dashboard reports instead), and so do Powertools logs
 * unless the run asks for the functions' logs (`functionLogs`), which then print at DEBUG.
 */
export const quietObservability = (name: string, functionLogs = false) => {
  process.env["POWERTOOLS_METRICS_DISABLED"] = "true";
  return createObservability(name, { logLevel: functionLogs ? "DEBUG" : "SILENT" });
};

export function buildConsumers(deps: ConsumerDeps): ConsumerSpec[] {
  const clock = new SystemClock();
  const spec = (name: string, handler: ConsumerSpec["handler"]): ConsumerSpec => ({
    name,
    functionArn: functionArnOf(name),
    handler,
    settings: deps.settings,
    destination: deps.onFailure,
  });
  return [
    spec(
      FUNCTION_NAMES.analytics,
      createAnalyticsHandler({
        ports: {
          metrics: deps.metrics,
          messages: deps.stores.messages,
          pendingReceipts: deps.stores.pendingReceipts,
          deadLetter: deps.deadLetter,
          clock,
          campaigns: deps.stores.campaigns,
          notifier: deps.notifier,
        },
        ...(deps.circuitBreaker ? { settings: { circuitBreaker: deps.circuitBreaker } } : {}),
        observability: quietObservability(FUNCTION_NAMES.analytics, deps.functionLogs),
      }),
    ),
    spec(
      FUNCTION_NAMES.responses,
      createResponsesHandler({
        ports: {
          responses: deps.stores.responses,
          optOuts: deps.stores.optOuts,
          optOutReviews: deps.stores.optOutReviews,
          messages: deps.stores.messages,
          ...(deps.stores.consentLog ? { consentLog: deps.stores.consentLog } : {}),
          revocations: deps.stores.revocations,
          notifier: deps.notifier,
          sender: deps.autoReplies,
          deadLetter: deps.deadLetter,
          clock: deps.responsesClock ?? clock,
          ...(deps.journeyRouting ? { journeyRouting: deps.journeyRouting } : {}),
        },
        settings: deps.responsesSettings,
        observability: quietObservability(FUNCTION_NAMES.responses, deps.functionLogs),
      }),
    ),
    spec(
      FUNCTION_NAMES.archive,
      createArchiveHandler({
        ports: {
          archive: deps.archive,
          messages: deps.stores.messages,
          pendingReceipts: deps.stores.pendingReceipts,
          deadLetter: deps.deadLetter,
          clock,
        },
        observability: quietObservability(FUNCTION_NAMES.archive, deps.functionLogs),
      }),
    ),
  ];
}
