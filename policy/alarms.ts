import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

interface AlarmProps {
  metricName?: string;
  namespace?: string;
  dimensions?: Record<string, string>;
  alarmActions?: string[];
}

const alarmsOf = (resources: PolicyResource[]): AlarmProps[] =>
  resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm)).map((r) => r.props as AlarmProps);

const hasAlarm = (alarms: AlarmProps[], metricName: string, dimension?: [string, string]) =>
  alarms.some(
    (alarm) =>
      alarm.metricName === metricName &&
      (dimension === undefined || alarm.dimensions?.[dimension[0]] === dimension[1]),
  );

/**
 * The stack watches itself: delivery and opt-out rate alarms, the revocation SLA (an opt-out not
 * confirmed, not suppressed or sent to after it: core/processing/revocation-sla.ts), stream
 * iterator age, errors of every stream consumer, anything in an on-failure queue; and every alarm
 * notifies someone.
 */
export const alarmsPresent: StackValidationPolicy = {
  name: "alarms-present",
  description:
    "Alarms exist for delivery rate, opt-out rate, revocation SLA breaches, stream iterator age, consumer errors and dead letters; each has an action.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      campaignMetrics: { type: "array", items: { type: "string" }, default: ["DeliveryRate", "OptOutRate"] },
      complianceMetrics: { type: "array", items: { type: "string" }, default: ["RevocationSlaBreaches"] },
    },
  },
  validateStack: (args, report) => {
    const { campaignMetrics, complianceMetrics } = args.getConfig<{
      campaignMetrics: string[];
      complianceMetrics: string[];
    }>();
    const streams = args.resources.filter((r) => r.isType(aws.kinesis.Stream));
    if (streams.length === 0) args.notApplicable("no event stream in this stack");
    const alarms = alarmsOf(args.resources);

    for (const metric of campaignMetrics) {
      if (!hasAlarm(alarms, metric)) report(`no alarm on the campaign metric ${metric}`);
    }
    for (const metric of complianceMetrics) {
      if (!hasAlarm(alarms, metric)) report(`no alarm on the compliance metric ${metric}`);
    }
    for (const stream of streams) {
      if (!hasAlarm(alarms, "GetRecords.IteratorAgeMilliseconds", ["StreamName", stream.props.name])) {
        report(`stream "${stream.props.name}" has no GetRecords.IteratorAgeMilliseconds alarm`, stream.urn);
      }
    }
    const mappings = args.resources.filter((r) => r.isType(aws.lambda.EventSourceMapping));
    const functions = args.resources.filter((r) => r.isType(aws.lambda.Function));
    for (const mapping of mappings) {
      const fn = functions.find(
        (f) => f.props.arn === mapping.props.functionName || f.props.name === mapping.props.functionName,
      );
      const functionName = fn?.props.name ?? mapping.props.functionName;
      if (!hasAlarm(alarms, "Errors", ["FunctionName", functionName])) {
        report(`stream consumer "${functionName}" has no Errors alarm`, fn?.urn ?? mapping.urn);
      }
      const deadLetterArn: string | undefined = mapping.props.destinationConfig?.onFailure?.destinationArn;
      const queue = args.resources.find((r) => r.isType(aws.sqs.Queue) && r.props.arn === deadLetterArn);
      if (queue && !hasAlarm(alarms, "ApproximateNumberOfMessagesVisible", ["QueueName", queue.props.name])) {
        report(
          `dead-letter queue "${queue.props.name}" has no ApproximateNumberOfMessagesVisible alarm`,
          queue.urn,
        );
      }
    }
    for (const alarm of args.resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm))) {
      if ((alarm.props.alarmActions ?? []).length === 0)
        report(`alarm "${alarm.name}" notifies no one`, alarm.urn);
    }
  },
};
