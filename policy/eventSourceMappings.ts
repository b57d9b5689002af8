import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Stream sources, where one poison record would otherwise block its shard. */
const STREAM_SOURCE = /^arn:aws[a-z-]*:(kinesis|dynamodb):/;

/**
 * A stream consumer never blocks its shard on a poison record: it reports per-record failures,
 * bisects failing batches, retries a bounded number of times for a bounded age, then sends the
 * record to an on-failure destination.
 */
export const eventSourceMappingFailureHandling: ResourceValidationPolicy = {
  name: "event-source-mapping-failure-handling",
  description:
    "Stream event source mappings report item failures, bisect, bound retries and record age, and dead-letter.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.lambda.EventSourceMapping, (mapping, args, report) => {
    if (!mapping.eventSourceArn || !STREAM_SOURCE.test(mapping.eventSourceArn)) {
      args.notApplicable("not a Kinesis or DynamoDB stream source");
    }
    if (!(mapping.functionResponseTypes ?? []).includes("ReportBatchItemFailures")) {
      report('functionResponseTypes must include "ReportBatchItemFailures"');
    }
    if (mapping.bisectBatchOnFunctionError !== true) report("bisectBatchOnFunctionError must be true");
    const retries = mapping.maximumRetryAttempts;
    if (retries === undefined || retries < 0)
      report("maximumRetryAttempts must be set to a bounded value (0-10000)");
    const age = mapping.maximumRecordAgeInSeconds;
    if (age === undefined || age < 0)
      report("maximumRecordAgeInSeconds must be set to a bounded value (60-604800)");
    if (!mapping.destinationConfig?.onFailure?.destinationArn) {
      report("destinationConfig.onFailure.destinationArn must name a dead-letter destination");
    }
  }),
};
