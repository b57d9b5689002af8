import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Clock, DeadLetter, MetricsSink } from "../../../core/ports";
import { SystemClock } from "./clock";
import { SqsDeadLetter } from "./dead-letter";
import { EmfMetricsSink } from "./metrics-sink";
import { type CommonEnv, ENV } from "./settings";

/** The ports every function uses: the clock, the SQS dead letter and the EMF metrics sink. */
export const commonPortsOf = (
  env: CommonEnv,
  sqs: SQSClient,
  clock: Clock = new SystemClock(),
): { clock: Clock; deadLetter: DeadLetter; metrics: MetricsSink } => ({
  clock,
  deadLetter: new SqsDeadLetter(sqs, env[ENV.deadLetterQueueUrl]),
  metrics: new EmfMetricsSink({ namespace: env[ENV.metricNamespace], serviceName: env[ENV.serviceName] }),
});
