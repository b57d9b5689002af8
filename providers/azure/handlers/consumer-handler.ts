import type { InvocationContext } from "@azure/functions";
import type { Clock, DeadLetter, MetricsSink } from "../../../core/ports";
import type { BatchConsumer } from "../../../core/processing/batch";
import { redactThrown } from "../../../core/redact";
import { batchMetricsOf, type EventHubsBatchOutcome, runEventHubsBatch } from "./event-hubs-batch";
import { redactedLog } from "./redacted-log";

/** An Event Hubs trigger with `cardinality: "many"`: the bodies, and the invocation context. */
export type EventHubsHandler = (
  messages: unknown[],
  context: InvocationContext,
) => Promise<EventHubsBatchOutcome>;

/** The logging surface of InvocationContext the handlers use (tests pass a recorder). */
export type HandlerLog = Pick<InvocationContext, "log" | "warn" | "error" | "triggerMetadata">;

export interface ConsumerHandlerDeps {
  deadLetter: DeadLetter;
  clock: Clock;
  metrics: MetricsSink;
  maxAttempts: number;
  backoffMs?: (attempt: number) => number;
}

/**
 * The skeleton every consumer shares: the batch runner with in-process retries and the dead
 * letter, then the batch's operational metrics (a failed metrics write is logged, never fatal:
 * the records are already handled). Each consumer supplies only what it does with the events.
 */
export const createConsumerHandler = (
  consumer: string,
  consumerOf: (log: HandlerLog) => BatchConsumer,
  deps: ConsumerHandlerDeps,
): ((messages: unknown[], context: HandlerLog) => Promise<EventHubsBatchOutcome>) => {
  return async (messages, invocation) => {
    const context = redactedLog(invocation);
    const outcome = await runEventHubsBatch(messages, context.triggerMetadata, consumerOf(context), {
      consumer,
      deadLetter: deps.deadLetter,
      clock: deps.clock,
      maxAttempts: deps.maxAttempts,
      ...(deps.backoffMs ? { backoffMs: deps.backoffMs } : {}),
      onError: (recordIds, error) => context.warn("records failed", { recordIds, error }),
    });
    try {
      await deps.metrics.emit(batchMetricsOf(consumer, outcome, deps.clock.now()));
    } catch (error) {
      context.warn("operational metrics not emitted", error);
    }
    context.log("batch handled", outcome);
    return outcome;
  };
};

/**
 * A handler built on its first invocation, not at import: a bad setting fails the invocation with
 * a message naming it, and a failed build is not cached, so a fixed setting is picked up. An
 * error that escapes is redacted (core/redact.ts) before the host logs it.
 */
export const lazyHandler = <H extends (...args: never[]) => unknown>(build: () => H) => {
  let built: H | undefined;
  // What escapes goes to the host's error log: redacted first.
  return (async (...args: Parameters<H>) => {
    try {
      built ??= build();
      return await built(...args);
    } catch (thrown) {
      throw redactThrown(thrown);
    }
  }) as H;
};
