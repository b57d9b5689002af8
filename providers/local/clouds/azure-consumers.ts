/**
 * The three Event Hubs functions of the Azure stack, built from their handler factories with the
 * local adapters, each behind its own consumer group of the in-process hub with the trigger
 * settings the stack deploys: maxEventBatchSize = batchSize, maxWaitTime = batchWindowSeconds,
 * checkpoint after every batch, and the functions' retry policy (handlers/functions.ts HOST_RETRY).
 */
import type { CircuitBreakerSettings } from "../../../core/campaign/circuit-breaker";
import type { Clock, DeadLetter, MetricDatum, MetricsSink, Notifier, SmsSender } from "../../../core/ports";
import type { ResponsesPorts, ResponsesSettings } from "../../../core/processing/responses";
import { createAnalyticsHandler } from "../../azure/handlers/analytics";
import { createArchiveHandler } from "../../azure/handlers/archive";
import { HOST_RETRY } from "../../azure/handlers/functions";
import { createResponsesHandler } from "../../azure/handlers/responses";
import type { AzureStackConfig } from "../../azure/infra/config";
import { OPERATIONAL_METRIC } from "../../azure/infra/environment";
import type { BlobArchiveStore } from "../../azure/runtime/archive-store";
import { SystemClock } from "../../azure/runtime/clock";
import type { EventHubsFunction, TriggerSettings } from "../eventhubs/function-host";
import type { RunStores } from "../run/stores";
import type { ConsumerName } from "./local-cloud";

/**
 * The retry policy's pauses, a thousandth of the deployed ones (10 ms to 300 ms instead of 10 s
 * to 5 min), so a run that hits them still finishes; the count of retries is the deployed one.
 */
const LOCAL_RETRY_SCALE = 1 / 1000;

const retryDelayMs = (retry: number): number => {
  const min = HOST_RETRY.minimumInterval.seconds * 1000;
  const max = HOST_RETRY.maximumInterval.minutes * 60_000;
  return Math.min(max, min * 2 ** (retry - 1)) * LOCAL_RETRY_SCALE;
};

/** The stack's Event Hubs trigger settings (infra/streamFunction.ts), from its config. */
export const triggerSettingsOf = (config: AzureStackConfig): TriggerSettings => ({
  maxEventBatchSize: config.batchSize,
  maxWaitMs: config.batchWindowSeconds * 1000,
  retry: { maxRetryCount: HOST_RETRY.maxRetryCount, delayMs: retryDelayMs },
});

const OPERATIONAL_NAMES = new Set<string>(Object.values(OPERATIONAL_METRIC));

/**
 * The analytics function emits its campaign metrics and its batch metrics to one sink; the run's
 * dashboard reads only the campaign ones, so the batch metrics go elsewhere (as on the AWS run,
 * where they stay quiet).
 */
export const campaignMetricsOnly = (campaign: MetricsSink, operational: MetricsSink): MetricsSink => ({
  async emit(datums: MetricDatum[]) {
    const ops = datums.filter((datum) => OPERATIONAL_NAMES.has(datum.name));
    const rest = datums.filter((datum) => !OPERATIONAL_NAMES.has(datum.name));
    if (ops.length > 0) await operational.emit(ops);
    if (rest.length > 0) await campaign.emit(rest);
  },
});

/** The simulated instant for what the function stores, real time for its backoff pauses. */
const simulatedNowRealSleep = (simulated: Clock): Clock => {
  const real = new SystemClock();
  return { now: () => simulated.now(), sleep: (ms) => real.sleep(ms) };
};

export interface AzureConsumerDeps {
  recordMaxAttempts: number;
  deadLetter: DeadLetter;
  /** The analytics function's campaign metrics (the run's dashboard reads them). */
  metrics: MetricsSink;
  /** Every function's batch metrics (records, dead-lettered, lag). */
  operationalMetrics: MetricsSink;
  archive: BlobArchiveStore;
  stores: RunStores;
  notifier: Notifier;
  autoReplies: SmsSender;
  responsesSettings: ResponsesSettings;
  journeyRouting?: ResponsesPorts["journeyRouting"];
  /** The run's simulated clock, for what the responses function stores (see aws-consumers.ts). */
  responsesClock?: Clock;
  /** The analytics function's circuit breaker, over the run's campaign store; none when absent. */
  circuitBreaker?: CircuitBreakerSettings;
}

export function buildAzureConsumers(deps: AzureConsumerDeps): Record<ConsumerName, EventHubsFunction> {
  const clock = new SystemClock();
  const maxAttempts = deps.recordMaxAttempts;
  return {
    analytics: createAnalyticsHandler({
      ports: {
        metrics: campaignMetricsOnly(deps.metrics, deps.operationalMetrics),
        messages: deps.stores.messages,
        pendingReceipts: deps.stores.pendingReceipts,
        deadLetter: deps.deadLetter,
        clock,
        campaigns: deps.stores.campaigns,
        notifier: deps.notifier,
      },
      ...(deps.circuitBreaker ? { settings: { circuitBreaker: deps.circuitBreaker } } : {}),
      maxAttempts,
    }),
    responses: createResponsesHandler({
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
        metrics: deps.operationalMetrics,
        clock: deps.responsesClock ? simulatedNowRealSleep(deps.responsesClock) : clock,
        ...(deps.journeyRouting ? { journeyRouting: deps.journeyRouting } : {}),
      },
      settings: deps.responsesSettings,
      maxAttempts,
    }),
    archive: createArchiveHandler({
      ports: {
        archive: deps.archive,
        messages: deps.stores.messages,
        pendingReceipts: deps.stores.pendingReceipts,
        deadLetter: deps.deadLetter,
        metrics: deps.operationalMetrics,
        clock,
      },
      maxAttempts,
    }),
  };
}
