import * as gcp from "@pulumi/gcp";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";

/**
 * A Cloud Scheduler job retries a failed run a bounded number of times within a bounded duration,
 * has an attempt deadline, and calls an HTTP target only with an OIDC or OAuth token (the target
 * stays private). Unbounded retries would pile runs of a job like the journey ticker onto each other.
 */
export const gcpSchedulerJobsBounded: ResourceValidationPolicy = {
  name: "gcp-scheduler-bounded-retries",
  description:
    "Cloud Scheduler jobs bound their retries (count and duration), set an attempt deadline, and authenticate HTTP targets.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxRetryCount: { type: "number", default: 5 } } },
  validateResource: validateResourceOfType(gcp.cloudscheduler.Job, (job, args, report) => {
    const { maxRetryCount } = args.getConfig<{ maxRetryCount: number }>();
    const name = job.name ?? args.name;
    const retry = job.retryConfig;
    if (typeof retry?.retryCount !== "number" || retry.retryCount > maxRetryCount) {
      report(`scheduler job "${name}" must set retryConfig.retryCount to at most ${maxRetryCount}`);
    }
    if (!retry?.maxRetryDuration) report(`scheduler job "${name}" must bound retryConfig.maxRetryDuration`);
    if (job.httpTarget && !job.attemptDeadline) report(`scheduler job "${name}" must set an attemptDeadline`);
    if (job.httpTarget && !job.httpTarget.oidcToken && !job.httpTarget.oauthToken) {
      report(`scheduler job "${name}" calls its HTTP target without an OIDC or OAuth token`);
    }
  }),
};

/**
 * The function a Cloud Scheduler job calls (the journey ticker) runs as one instance serving one
 * request at a time, so scheduled runs never overlap and the send rate (MPS) holds stack-wide.
 */
export const gcpScheduledFunctionsSingleInstance: StackValidationPolicy = {
  name: "gcp-scheduled-function-single-instance",
  description:
    "A Cloud Functions gen2 function called by a Cloud Scheduler job has maxInstanceCount 1 and maxInstanceRequestConcurrency 1.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const jobs = args.resources.filter((r) => r.isType(gcp.cloudscheduler.Job));
    if (jobs.length === 0) args.notApplicable("no Cloud Scheduler job in this stack");
    const targets = new Set(jobs.map((job) => job.props.httpTarget?.uri).filter((u): u is string => !!u));
    for (const fn of args.resources.filter((r) => r.isType(gcp.cloudfunctionsv2.Function))) {
      const urls = [fn.props.url, fn.props.serviceConfig?.uri].filter((u): u is string => !!u);
      if (!urls.some((url) => [...targets].some((target) => target.startsWith(url)))) continue;
      const config = fn.props.serviceConfig ?? {};
      if (config.maxInstanceCount !== 1 || config.maxInstanceRequestConcurrency !== 1) {
        report(
          `function "${fn.props.name ?? fn.name}" is run by Cloud Scheduler and must set maxInstanceCount 1 and maxInstanceRequestConcurrency 1, so runs never overlap`,
          fn.urn,
        );
      }
    }
  },
};
