import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRIC } from "../../../core/processing/analytics";
import { REVOCATION_SLA_DIMENSIONS, REVOCATION_SLA_METRIC } from "../../../core/processing/revocation-sla";
import { awsContext } from "./iam";

export const MONITORING_TYPE = "sms:aws:Monitoring";

export interface MonitoredFunction {
  id: string;
  functionName: pulumi.Input<string>;
}

export interface MonitoringArgs {
  dashboardName: pulumi.Input<string>;
  /** EMF namespace the analytics function writes to. */
  metricNamespace: pulumi.Input<string>;
  streamName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
  functions: MonitoredFunction[];
  /** Functions without a stream (ticker, enrollment): alarmed on errors only. */
  taskFunctions?: MonitoredFunction[];
  /** Further dead-letter queues (the scheduler's, enrollment's), each alarmed like the stack's. */
  moreDeadLetterQueues?: { id: string; queueName: pulumi.Input<string> }[];
  tableNames: pulumi.Input<string>[];
  alarmTopicArn: pulumi.Input<string>;
  deliveryRateThresholdPercent: pulumi.Input<number>;
  optOutRateThresholdPercent: pulumi.Input<number>;
  iteratorAgeThresholdMs: pulumi.Input<number>;
}

export interface DashboardInputs {
  region: string;
  namespace: string;
  streamName: string;
  functionNames: string[];
  tableNames: string[];
  deadLetterQueueName: string;
}

const widget = (title: string, region: string, metrics: unknown[][], stat = "Sum") => ({
  type: "metric",
  width: 12,
  height: 6,
  properties: { title, region, metrics, stat, period: 300, view: "timeSeries" },
});

/**
 * The dashboard body: campaign health from the analytics function's EMF metrics (stack-wide
 * series, no dimensions), then the stream, the functions, the tables and the dead-letter queue.
 */
export const dashboardBody = (inputs: DashboardInputs) => {
  const { region, namespace } = inputs;
  const perFunction = (metric: string) =>
    inputs.functionNames.map((fn) => ["AWS/Lambda", metric, "FunctionName", fn]);
  const perTable = (metric: string) =>
    inputs.tableNames.map((table) => ["AWS/DynamoDB", metric, "TableName", table]);
  return {
    widgets: [
      widget(
        "Delivery, response and opt-out rate (%)",
        region,
        [METRIC.deliveryRate, METRIC.responseRate, METRIC.optOutRate].map((m) => [namespace, m]),
        "Average",
      ),
      widget("Cost per message (USD)", region, [[namespace, METRIC.costPerMessage]], "Average"),
      widget(
        "Messages",
        region,
        [METRIC.sent, METRIC.delivered, METRIC.failed, METRIC.optedOut, METRIC.received].map((m) => [
          namespace,
          m,
        ]),
      ),
      widget("Stream incoming records", region, [
        ["AWS/Kinesis", "IncomingRecords", "StreamName", inputs.streamName],
      ]),
      widget(
        "Stream iterator age (ms)",
        region,
        [["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", inputs.streamName]],
        "Maximum",
      ),
      widget("Function invocations", region, perFunction("Invocations")),
      widget("Function errors", region, perFunction("Errors")),
      widget("Function duration (ms)", region, perFunction("Duration"), "Average"),
      widget("Table consumed capacity", region, [
        ...perTable("ConsumedReadCapacityUnits"),
        ...perTable("ConsumedWriteCapacityUnits"),
      ]),
      widget(
        "Dead-letter queue depth",
        region,
        [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", inputs.deadLetterQueueName]],
        "Maximum",
      ),
    ],
  };
};

/**
 * The CloudWatch dashboard and the alarms, all notifying the alarm topic: delivery rate below
 * and opt-out rate above their thresholds, stream iterator age, each function's errors and
 * iterator age, and anything in the dead-letter queue.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly dashboard: aws.cloudwatch.Dashboard;
  public readonly dashboardUrl: pulumi.Output<string>;
  public readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MONITORING_TYPE, name, {}, opts);
    const { region } = awsContext(this);

    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: args.dashboardName,
        dashboardBody: pulumi
          .all([
            region,
            args.metricNamespace,
            args.streamName,
            pulumi.all(args.functions.map((f) => f.functionName)),
            pulumi.all(args.tableNames),
            args.deadLetterQueueName,
          ])
          .apply(([r, namespace, streamName, functionNames, tableNames, deadLetterQueueName]) =>
            JSON.stringify(
              dashboardBody({
                region: r,
                namespace,
                streamName,
                functionNames,
                tableNames,
                deadLetterQueueName,
              }),
            ),
          ),
      },
      { parent: this },
    );
    this.dashboardUrl = pulumi.interpolate`https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${this.dashboard.dashboardName}`;

    const alarm = (
      suffix: string,
      alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">,
    ) => {
      const created = new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          ...alarmArgs,
          alarmActions: [args.alarmTopicArn],
          okActions: [args.alarmTopicArn],
        },
        { parent: this },
      );
      this.alarms.push(created);
      return created;
    };

    alarm("delivery-rate", {
      alarmDescription: "Delivery rate below threshold (stack-wide, 5-minute average)",
      namespace: args.metricNamespace,
      metricName: METRIC.deliveryRate,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: "LessThanThreshold",
      threshold: args.deliveryRateThresholdPercent,
      treatMissingData: "notBreaching",
    });
    alarm("opt-out-rate", {
      alarmDescription: "Opt-out rate above threshold (stack-wide, 5-minute average)",
      namespace: args.metricNamespace,
      metricName: METRIC.optOutRate,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: "GreaterThanThreshold",
      threshold: args.optOutRateThresholdPercent,
      treatMissingData: "notBreaching",
    });
    // The ticker's SLA monitor counts breached opt-outs: any one is a compliance incident.
    alarm("revocation-sla", {
      alarmDescription:
        "An opt-out breached its revocation SLA (no confirmation, not suppressed, or a send after it): smsctl compliance report",
      namespace: args.metricNamespace,
      metricName: REVOCATION_SLA_METRIC,
      ...(Object.keys(REVOCATION_SLA_DIMENSIONS).length > 0
        ? { dimensions: { ...REVOCATION_SLA_DIMENSIONS } }
        : {}),
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
    });
    alarm("stream-iterator-age", {
      alarmDescription: "Consumers are falling behind the stream",
      namespace: "AWS/Kinesis",
      metricName: "GetRecords.IteratorAgeMilliseconds",
      dimensions: { StreamName: args.streamName },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 5,
      comparisonOperator: "GreaterThanThreshold",
      threshold: args.iteratorAgeThresholdMs,
      treatMissingData: "notBreaching",
    });
    const errorsAlarm = (fn: MonitoredFunction) =>
      alarm(`${fn.id}-errors`, {
        alarmDescription: `The ${fn.id} function reported errors`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: fn.functionName },
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
      });
    for (const fn of args.taskFunctions ?? []) errorsAlarm(fn);
    for (const fn of args.functions) {
      errorsAlarm(fn);
      alarm(`${fn.id}-iterator-age`, {
        alarmDescription: `The ${fn.id} function is falling behind the stream`,
        namespace: "AWS/Lambda",
        metricName: "IteratorAge",
        dimensions: { FunctionName: fn.functionName },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        comparisonOperator: "GreaterThanThreshold",
        threshold: args.iteratorAgeThresholdMs,
        treatMissingData: "notBreaching",
      });
    }
    const deadLettersAlarm = (id: string, queueName: pulumi.Input<string>) =>
      alarm(id, {
        alarmDescription: "Records reached the dead-letter queue",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: queueName },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
      });
    deadLettersAlarm("dead-letters", args.deadLetterQueueName);
    for (const queue of args.moreDeadLetterQueues ?? [])
      deadLettersAlarm(`${queue.id}-dead-letters`, queue.queueName);

    this.registerOutputs({ dashboardUrl: this.dashboardUrl });
  }
}
