import type { Logger } from "@aws-lambda-powertools/logger";
import type { Clock, DeadLetter } from "../../../core/ports";
import type { BatchConsumer } from "../../../core/processing/batch";
import { runKinesisBatch } from "./kinesis-batch";
import type { KinesisHandler } from "./lazy";
import { createObservability, type Observability, publishBatchMetrics } from "./observability";

export interface ConsumerHandlerDeps {
  deadLetter: DeadLetter;
  clock: Clock;
  observability?: Observability;
}

/**
 * The skeleton every stream consumer shares: Lambda context on the logger, core's batch runner
 * with the dead letter, Powertools' partial-failure report, and the batch's operational metrics.
 * Each consumer supplies only what it does with the decoded events.
 */
export const createConsumerHandler = (
  consumer: string,
  consumerOf: (logger: Logger) => BatchConsumer,
  deps: ConsumerHandlerDeps,
): KinesisHandler => {
  const { logger, metrics } = deps.observability ?? createObservability(consumer);
  const batchConsumer = consumerOf(logger);
  return async (event, context) => {
    if (context) logger.addContext(context);
    const { response } = await runKinesisBatch(
      event,
      batchConsumer,
      {
        consumer,
        deadLetter: deps.deadLetter,
        clock: deps.clock,
        logger,
        onOutcome: (outcome) => publishBatchMetrics(metrics, outcome, event.Records.length),
      },
      context,
    );
    return response;
  };
};
