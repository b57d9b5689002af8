import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { METRIC, type MetricName } from "../../../core/processing/analytics";
import { REVOCATION_SLA_METRIC } from "../../../core/processing/revocation-sla";
import { METRIC_LABELS, STACK_SCOPE } from "./environment";

export const MONITORING_TYPE = "sms:gcp:Monitoring";

/** Every metric a function logs: the analytics function's, and the ticker's revocation SLA breaches. */
export type LoggedMetricName = MetricName | typeof REVOCATION_SLA_METRIC;

/** The log-based metric's type, e.g. `logging.googleapis.com/user/SmsCampaigns/DeliveryRate`. */
export const logMetricName = (namespace: string, metric: LoggedMetricName) => `${namespace}/${metric}`;

/** The Cloud Logging filter selecting one metric's log lines. */
export const logMetricFilter = (namespace: string, metric: LoggedMetricName) =>
  `jsonPayload.metricNamespace="${namespace}" AND jsonPayload.metric="${metric}"`;

export interface MonitoringArgs {
  metricNamespace: string;
  alarmTopicId: pulumi.Input<string>;
  /** The Cloud Monitoring notification agent, granted publish on the alarm topic. */
  monitoringServiceAgent: pulumi.Input<string>;
  email?: pulumi.Input<string>;
  /** Subscriptions whose oldest unacknowledged message must stay young. */
  subscriptions: { id: string; name: pulumi.Input<string> }[];
  /** The dead-letter topic's holding subscription: anything in it is an alert. */
  deadLetterSubscription: pulumi.Input<string>;
  deliveryRateThresholdPercent: number;
  optOutRateThresholdPercent: number;
  oldestUnackedThresholdMs: number;
}

const ALIGNMENT = "300s";

/**
 * Metrics and alerts: one log-based distribution metric per core metric (the analytics function
 * logs one JSON line per datum), alert policies on the stack-wide delivery and opt-out rates, on
 * each subscription's oldest unacknowledged message, and on dead letters, all notifying the alarm
 * topic (and an email channel when configured).
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly channels: gcp.monitoring.NotificationChannel[];
  public readonly metrics: Record<LoggedMetricName, gcp.logging.Metric>;
  public readonly alerts: gcp.monitoring.AlertPolicy[];

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MONITORING_TYPE, name, {}, opts);
    const child = { parent: this };
    const topicGrant = new gcp.pubsub.TopicIAMMember(
      `${name}-agent-publishes`,
      { topic: args.alarmTopicId, role: "roles/pubsub.publisher", member: args.monitoringServiceAgent },
      child,
    );
    this.channels = [
      new gcp.monitoring.NotificationChannel(
        `${name}-topic-channel`,
        { displayName: "SMS alarms topic", type: "pubsub", labels: { topic: args.alarmTopicId } },
        { parent: this, dependsOn: [topicGrant] },
      ),
      ...(args.email
        ? [
            new gcp.monitoring.NotificationChannel(
              `${name}-email-channel`,
              { displayName: "SMS alarms email", type: "email", labels: { email_address: args.email } },
              child,
            ),
          ]
        : []),
    ];
    const notificationChannels = this.channels.map((c) => c.id);

    this.metrics = Object.fromEntries(
      [...Object.values(METRIC), REVOCATION_SLA_METRIC].map((metric) => [
        metric,
        new gcp.logging.Metric(
          `${name}-${metric}`,
          {
            name: logMetricName(args.metricNamespace, metric),
            description: `${metric} (one log line per datum)`,
            filter: logMetricFilter(args.metricNamespace, metric),
            valueExtractor: "EXTRACT(jsonPayload.value)",
            labelExtractors: Object.fromEntries(
              METRIC_LABELS.map((label) => [label, `EXTRACT(jsonPayload.${label})`]),
            ),
            metricDescriptor: {
              metricKind: "DELTA",
              valueType: "DISTRIBUTION",
              unit: metric.endsWith("Rate") ? "%" : "1",
              labels: METRIC_LABELS.map((key) => ({ key, valueType: "STRING" })),
            },
            bucketOptions: { exponentialBuckets: { numFiniteBuckets: 64, growthFactor: 2, scale: 0.01 } },
          },
          child,
        ),
      ]),
    ) as Record<LoggedMetricName, gcp.logging.Metric>;

    const rateAlert = (
      metric: MetricName,
      comparison: "COMPARISON_LT" | "COMPARISON_GT",
      threshold: number,
    ) =>
      new gcp.monitoring.AlertPolicy(
        `${name}-${metric}-alert`,
        {
          displayName: `${metric} ${comparison === "COMPARISON_LT" ? "below" : "above"} ${threshold}%`,
          combiner: "OR",
          notificationChannels,
          conditions: [
            {
              displayName: `${metric} (stack-wide)`,
              conditionThreshold: {
                filter: pulumi.interpolate`metric.type="logging.googleapis.com/user/${this.metrics[metric].name}" AND metric.label.scope="${STACK_SCOPE}"`,
                comparison,
                thresholdValue: threshold,
                duration: "0s",
                aggregations: [
                  {
                    alignmentPeriod: ALIGNMENT,
                    perSeriesAligner: "ALIGN_MEAN",
                    crossSeriesReducer: "REDUCE_MEAN",
                  },
                ],
              },
            },
          ],
        },
        child,
      );
    const backlogAlert = (id: string, subscription: pulumi.Input<string>) =>
      new gcp.monitoring.AlertPolicy(
        `${name}-${id}-backlog-alert`,
        {
          displayName: pulumi.interpolate`${subscription}: oldest unacked message older than ${args.oldestUnackedThresholdMs / 1000} s`,
          combiner: "OR",
          notificationChannels,
          conditions: [
            {
              displayName: "Oldest unacknowledged message age",
              conditionThreshold: {
                filter: pulumi.interpolate`metric.type="pubsub.googleapis.com/subscription/oldest_unacked_message_age" AND resource.type="pubsub_subscription" AND resource.label.subscription_id="${subscription}"`,
                comparison: "COMPARISON_GT",
                thresholdValue: args.oldestUnackedThresholdMs / 1000,
                duration: "60s",
                aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
              },
            },
          ],
        },
        child,
      );
    // The ticker's SLA monitor logs one breach count per run that judged any opt-out: a mean above
    // zero over a minute means at least one breach, a compliance incident.
    const revocationSlaAlert = new gcp.monitoring.AlertPolicy(
      `${name}-revocation-sla-alert`,
      {
        displayName: "An opt-out breached its revocation SLA (smsctl compliance report)",
        combiner: "OR",
        notificationChannels,
        conditions: [
          {
            displayName: `${REVOCATION_SLA_METRIC} (stack-wide)`,
            conditionThreshold: {
              filter: pulumi.interpolate`metric.type="logging.googleapis.com/user/${this.metrics[REVOCATION_SLA_METRIC].name}" AND metric.label.scope="${STACK_SCOPE}"`,
              comparison: "COMPARISON_GT",
              thresholdValue: 0,
              duration: "0s",
              aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
            },
          },
        ],
      },
      child,
    );
    this.alerts = [
      revocationSlaAlert,
      rateAlert(METRIC.deliveryRate, "COMPARISON_LT", args.deliveryRateThresholdPercent),
      rateAlert(METRIC.optOutRate, "COMPARISON_GT", args.optOutRateThresholdPercent),
      ...args.subscriptions.map(({ id, name: subscription }) => backlogAlert(id, subscription)),
      new gcp.monitoring.AlertPolicy(
        `${name}-dead-letters-alert`,
        {
          displayName: "Messages in the dead-letter topic",
          combiner: "OR",
          notificationChannels,
          conditions: [
            {
              displayName: "Undelivered dead letters",
              conditionThreshold: {
                filter: pulumi.interpolate`metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.type="pubsub_subscription" AND resource.label.subscription_id="${args.deadLetterSubscription}"`,
                comparison: "COMPARISON_GT",
                thresholdValue: 0,
                duration: "0s",
                aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
              },
            },
          ],
        },
        child,
      ),
    ];
    this.registerOutputs({ alerts: this.alerts.map((a) => a.name) });
  }
}
