import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { type CloudFunctionArgs, cloudFunction, serviceAccountIdOf } from "./cloudFunction";
import { RUN_INVOKER } from "./consumerFunction";

export const TICKER_FUNCTION_TYPE = "sms:gcp:TickerFunction";

/** Retries of one tick: a few, inside its own interval; the next tick makes up for a lost one. */
export const TICK_RETRY_COUNT = 2;

export interface TickerFunctionArgs
  extends Omit<CloudFunctionArgs, "ingress" | "maxInstances" | "concurrency"> {
  jobName: pulumi.Input<string>;
  /** Cron, UTC (tickScheduleOf). */
  schedule: pulumi.Input<string>;
  intervalSeconds: pulumi.Input<number>;
  /** Roles the ticker needs, granted by the caller on the resources themselves. */
  grants?: (serviceAccountMember: pulumi.Output<string>, parent: pulumi.Resource) => void;
}

const seconds = (value: pulumi.Input<number>) => pulumi.output(value).apply((s) => `${s}s`);

/**
 * The journey ticker: a private HTTP function that Cloud Scheduler calls at the tick rate with an
 * OIDC token of an account that may invoke only it. One instance serving one request at a time
 * (maxInstanceCount 1, concurrency 1): ticks never overlap, so the MPS holds stack-wide without a
 * shared token bucket; a tick that arrives while one runs is refused (429) and retried by the
 * scheduler, a bounded number of times within the interval.
 *
 * An HTTP target rather than Pub/Sub: a tick carries no data, and a lost one costs nothing (due
 * journeys stay due), so a dead letter would hold nothing worth redriving, while a queue would
 * replay stale ticks back to back after an outage.
 */
export class TickerFunction extends pulumi.ComponentResource {
  public readonly function: gcp.cloudfunctionsv2.Function;
  public readonly serviceAccount: gcp.serviceaccount.Account;
  public readonly invoker: gcp.serviceaccount.Account;
  public readonly job: gcp.cloudscheduler.Job;
  public readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: TickerFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TICKER_FUNCTION_TYPE, name, {}, opts);
    const parts = cloudFunction(
      name,
      { ...args, ingress: "ALLOW_INTERNAL_ONLY", maxInstances: 1, concurrency: 1 },
      this,
    );
    this.function = parts.function;
    this.serviceAccount = parts.serviceAccount;
    this.functionName = this.function.name;
    args.grants?.(this.serviceAccount.member, this);

    this.invoker = new gcp.serviceaccount.Account(
      `${name}-scheduler`,
      {
        accountId: serviceAccountIdOf(`${name}-sched`),
        displayName: pulumi.interpolate`Cloud Scheduler calls ${args.functionName}`,
        description: "Signs the scheduler's tick requests; may only invoke the ticker",
      },
      { parent: this },
    );
    const invokes = new gcp.cloudrunv2.ServiceIamMember(
      `${name}-invoker`,
      {
        project: args.project,
        location: args.region,
        name: this.function.name,
        role: RUN_INVOKER,
        member: this.invoker.member,
      },
      { parent: this },
    );
    this.job = new gcp.cloudscheduler.Job(
      `${name}-schedule`,
      {
        name: args.jobName,
        region: args.region,
        description: "Wakes the journey ticker",
        schedule: args.schedule,
        timeZone: "Etc/UTC",
        attemptDeadline: seconds(args.timeoutSeconds),
        retryConfig: {
          retryCount: TICK_RETRY_COUNT,
          maxRetryDuration: seconds(args.intervalSeconds),
          minBackoffDuration: "5s",
          maxBackoffDuration: "30s",
          maxDoublings: 2,
        },
        httpTarget: {
          uri: this.function.url,
          httpMethod: "POST",
          oidcToken: { serviceAccountEmail: this.invoker.email, audience: this.function.url },
        },
      },
      { parent: this, dependsOn: [invokes] },
    );
    this.registerOutputs({ functionName: this.functionName, job: this.job.name });
  }
}
