import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** A target the scheduler keeps retrying floods it once it recovers; a few retries are enough. */
export const MAX_SCHEDULE_RETRY_ATTEMPTS = 5;

/**
 * An EventBridge Scheduler schedule never loses an invocation silently and never piles them up:
 * its target has a dead-letter queue, and its retries are bounded in count and in event age.
 */
export const scheduleTargetsFailSafely: ResourceValidationPolicy = {
  name: "schedule-target-dead-letter-and-bounded-retries",
  description:
    "EventBridge Scheduler targets have a dead-letter queue and bounded retries (attempts and event age set).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maximumRetryAttempts: { type: "number", default: MAX_SCHEDULE_RETRY_ATTEMPTS },
    },
  },
  validateResource: validateResourceOfType(aws.scheduler.Schedule, (schedule, args, report) => {
    const { maximumRetryAttempts: limit } = args.getConfig<{ maximumRetryAttempts: number }>();
    const target = schedule.target;
    if (!target?.deadLetterConfig?.arn) report("target.deadLetterConfig.arn must name a dead-letter queue");
    const retries = target?.retryPolicy?.maximumRetryAttempts;
    if (retries === undefined || retries > limit) {
      report(`target.retryPolicy.maximumRetryAttempts must be set to at most ${limit} (the default is 185)`);
    }
    if (target?.retryPolicy?.maximumEventAgeInSeconds === undefined) {
      report(
        "target.retryPolicy.maximumEventAgeInSeconds must be set (the default keeps retrying for a day)",
      );
    }
  }),
};
