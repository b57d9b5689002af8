import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DeadLetterQueue } from "./deadLetterQueue";
import { allow, awsContext, createServiceRole } from "./iam";
import { TaskFunction, type TaskFunctionArgs } from "./taskFunction";

export const JOURNEY_TICKER_TYPE = "sms:aws:JourneyTicker";

/** Lambda's longest timeout. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
/** Retries of a failed tick invocation: a few, since the next tick comes anyway. */
export const TICK_RETRY_ATTEMPTS = 2;

export interface TickTiming {
  /** The function's timeout: below the interval, so a tick ends before the next one starts. */
  timeoutSeconds: number;
  /**
   * The seconds of sending a tick may do (its allowance is MPS times this): four fifths of the
   * timeout, so the pacer finishes its allowance well before the timeout stops it.
   */
  sendSeconds: number;
  /** How long the scheduler keeps retrying a failed tick: never past the next tick. */
  maximumEventAgeSeconds: number;
}

export function tickTimingOf(intervalSeconds: number): TickTiming {
  const timeoutSeconds = Math.min(LAMBDA_MAX_TIMEOUT_SECONDS, intervalSeconds - 5);
  return {
    timeoutSeconds,
    sendSeconds: Math.max(1, Math.floor(timeoutSeconds * 0.8)),
    // The scheduler accepts 60 to 86400 seconds.
    maximumEventAgeSeconds: Math.max(60, Math.min(86_400, intervalSeconds)),
  };
}

export interface JourneyTickerArgs {
  /** The ticker function; its timeout comes from the interval, its concurrency is always 1. */
  function: Omit<TaskFunctionArgs, "timeoutSeconds" | "reservedConcurrency">;
  /** EventBridge Scheduler rate, e.g. "1 minute" (validated by the stack config). */
  rate: string;
  intervalSeconds: number;
  scheduleName: pulumi.Input<string>;
  /** The scheduler's own dead-letter queue (its dead-letter events are not core's dead letters). */
  deadLetterQueueName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
}

/**
 * The journey ticker: an EventBridge Scheduler schedule invoking a Lambda function at a fixed rate.
 * Reserved concurrency 1 is how the MPS holds stack-wide: at most one tick runs at a time, so
 * ticks never send in parallel, and one tick sends at most MPS x its send window. A tick that
 * cannot be invoked is retried a bounded number of times, never past the next tick, and then
 * lands in the scheduler's KMS-encrypted dead-letter queue.
 */
export class JourneyTicker extends pulumi.ComponentResource {
  public readonly function: TaskFunction;
  public readonly schedule: aws.scheduler.Schedule;
  public readonly schedulerRole: aws.iam.Role;
  public readonly deadLetterQueue: DeadLetterQueue;
  public readonly invokeConfig: aws.lambda.FunctionEventInvokeConfig;
  public readonly timing: TickTiming;

  constructor(name: string, args: JourneyTickerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(JOURNEY_TICKER_TYPE, name, {}, opts);
    const child = { parent: this };
    const { accountId } = awsContext(this);
    this.timing = tickTimingOf(args.intervalSeconds);

    this.deadLetterQueue = new DeadLetterQueue(
      `${name}-dlq`,
      { queueName: args.deadLetterQueueName, kmsKeyArn: args.kmsKeyArn },
      child,
    );
    this.function = new TaskFunction(
      `${name}-function`,
      {
        ...args.function,
        timeoutSeconds: this.timing.timeoutSeconds,
        reservedConcurrency: 1,
        // Lambda's own destination for a tick it dropped (see invokeConfig).
        permissions: [...args.function.permissions, allow(["sqs:SendMessage"], [this.deadLetterQueue.arn])],
      },
      child,
    );
    // The scheduler invokes asynchronously: Lambda queues a tick that arrives while the previous one
    // still runs. Such a tick is dropped (to the dead letter) once older than one interval, and a
    // failed tick is not retried, so ticks never pile up behind each other.
    this.invokeConfig = new aws.lambda.FunctionEventInvokeConfig(
      `${name}-invoke`,
      {
        functionName: this.function.functionName,
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: Math.min(21_600, this.timing.maximumEventAgeSeconds),
        destinationConfig: { onFailure: { destination: this.deadLetterQueue.arn } },
      },
      { parent: this, dependsOn: [this.function.policy] },
    );
    const access = createServiceRole(
      `${name}-scheduler`,
      "scheduler.amazonaws.com",
      accountId,
      [
        allow(["lambda:InvokeFunction"], [this.function.arn]),
        allow(["sqs:SendMessage"], [this.deadLetterQueue.arn]),
        // The dead-letter queue and the schedule itself are encrypted with the stack key.
        allow(["kms:Decrypt", "kms:GenerateDataKey"], [args.kmsKeyArn]),
      ],
      this,
    );
    this.schedulerRole = access.role;

    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: args.scheduleName,
        description: "Journey ticker: wakes due journeys and sends what is due within the MPS",
        scheduleExpression: `rate(${args.rate})`,
        flexibleTimeWindow: { mode: "OFF" },
        kmsKeyArn: args.kmsKeyArn,
        state: "ENABLED",
        target: {
          arn: this.function.arn,
          roleArn: this.schedulerRole.arn,
          retryPolicy: {
            maximumRetryAttempts: TICK_RETRY_ATTEMPTS,
            maximumEventAgeInSeconds: this.timing.maximumEventAgeSeconds,
          },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
      },
      { parent: this, dependsOn: [access.policy] },
    );
    this.registerOutputs({ functionName: this.function.functionName, scheduleArn: this.schedule.arn });
  }
}
