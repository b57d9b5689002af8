import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import { METRIC } from "../../../core/processing/analytics";
import { REVOCATION_SLA_DIMENSIONS, REVOCATION_SLA_METRIC } from "../../../core/processing/revocation-sla";
import { OPERATIONAL_METRIC } from "./environment";

export const MONITORING_TYPE = "sms:azure:Monitoring";

export interface MonitoringArgs {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  deploymentName: string;
  /** The custom metric namespace the functions write to (runtime/metrics-sink.ts). */
  metricNamespace: string;
  logRetentionDays: number;
  notificationEmail?: string;
  deadLetterQueueName: pulumi.Input<string>;
  serviceBusNamespaceId: pulumi.Input<string>;
  deliveryRateThresholdPercent: number;
  optOutRateThresholdPercent: number;
  consumerLagThresholdMs: number;
}

type Criterion = {
  metricName: string;
  metricNamespace: pulumi.Input<string>;
  operator: "LessThan" | "GreaterThan";
  threshold: number;
  timeAggregation: "Average" | "Maximum" | "Total";
  dimensions?: { name: string; operator: "Include"; values: pulumi.Input<string>[] }[];
};

/**
 * Log Analytics workspace, workspace-based Application Insights (Entra ID ingestion only), an
 * action group, and metric alerts: per-campaign delivery rate and opt-out rate (custom metrics with
 * the campaignId dimension: "Enable alerting on custom metric dimensions" must be on in the
 * component's usage settings), consumer lag and dead-lettered records per consumer, and any message
 * on the dead-letter queue.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly workspace: operationalinsights.Workspace;
  public readonly appInsights: applicationinsights.Component;
  public readonly actionGroup: monitor.ActionGroup;
  public readonly alerts: Record<string, monitor.MetricAlert>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MONITORING_TYPE, name, {}, opts);
    const child = { parent: this };
    const location = args.location ? { location: args.location } : {};
    this.workspace = new operationalinsights.Workspace(
      `${name}-workspace`,
      {
        resourceGroupName: args.resourceGroupName,
        ...location,
        sku: { name: "PerGB2018" },
        retentionInDays: args.logRetentionDays,
      },
      child,
    );
    this.appInsights = new applicationinsights.Component(
      `${name}-insights`,
      {
        resourceGroupName: args.resourceGroupName,
        ...location,
        kind: "web",
        applicationType: "web",
        workspaceResourceId: this.workspace.id,
        ingestionMode: "LogAnalytics",
        disableLocalAuth: true,
        retentionInDays: args.logRetentionDays,
      },
      child,
    );
    this.actionGroup = new monitor.ActionGroup(
      `${name}-actions`,
      {
        resourceGroupName: args.resourceGroupName,
        location: "Global",
        groupShortName: "sms-alerts",
        enabled: true,
        emailReceivers: args.notificationEmail
          ? [{ name: "operators", emailAddress: args.notificationEmail, useCommonAlertSchema: true }]
          : [],
      },
      child,
    );
    const alert = (id: string, description: string, scope: pulumi.Input<string>, criterion: Criterion) =>
      new monitor.MetricAlert(
        `${name}-${id}`,
        {
          resourceGroupName: args.resourceGroupName,
          location: "global",
          description,
          severity: 2,
          enabled: true,
          autoMitigate: true,
          scopes: [scope],
          evaluationFrequency: "PT5M",
          windowSize: "PT15M",
          criteria: {
            odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
            allOf: [
              {
                criterionType: "StaticThresholdCriterion",
                name: id,
                skipMetricValidation: true,
                ...criterion,
              },
            ],
          },
          actions: [{ actionGroupId: this.actionGroup.id }],
        },
        child,
      );
    const perCampaign = [{ name: "campaignId", operator: "Include" as const, values: ["*"] }];
    const perConsumer = [{ name: "consumer", operator: "Include" as const, values: ["*"] }];
    const custom = args.metricNamespace;
    this.alerts = {
      deliveryRate: alert(
        "delivery-rate",
        `Delivery rate below ${args.deliveryRateThresholdPercent}%`,
        this.appInsights.id,
        {
          metricName: METRIC.deliveryRate,
          metricNamespace: custom,
          operator: "LessThan",
          threshold: args.deliveryRateThresholdPercent,
          timeAggregation: "Average",
          dimensions: perCampaign,
        },
      ),
      optOutRate: alert(
        "opt-out-rate",
        `Opt-out rate above ${args.optOutRateThresholdPercent}%`,
        this.appInsights.id,
        {
          metricName: METRIC.optOutRate,
          metricNamespace: custom,
          operator: "GreaterThan",
          threshold: args.optOutRateThresholdPercent,
          timeAggregation: "Average",
          dimensions: perCampaign,
        },
      ),
      consumerLag: alert(
        "consumer-lag",
        `A consumer is more than ${args.consumerLagThresholdMs} ms behind`,
        this.appInsights.id,
        {
          metricName: OPERATIONAL_METRIC.lag,
          metricNamespace: custom,
          operator: "GreaterThan",
          threshold: args.consumerLagThresholdMs,
          timeAggregation: "Maximum",
          dimensions: perConsumer,
        },
      ),
      deadLettered: alert("dead-lettered", "A consumer dead-lettered records", this.appInsights.id, {
        metricName: OPERATIONAL_METRIC.deadLettered,
        metricNamespace: custom,
        operator: "GreaterThan",
        threshold: 0,
        timeAggregation: "Total",
        dimensions: perConsumer,
      }),
      // The campaigns app's SLA monitor counts breached opt-outs: any one is a compliance incident.
      revocationSla: alert(
        "revocation-sla",
        "An opt-out breached its revocation SLA (no confirmation, not suppressed, or a send after it): smsctl compliance report",
        this.appInsights.id,
        {
          metricName: REVOCATION_SLA_METRIC,
          metricNamespace: custom,
          operator: "GreaterThan",
          threshold: 0,
          timeAggregation: "Total",
          ...(Object.keys(REVOCATION_SLA_DIMENSIONS).length > 0
            ? {
                dimensions: Object.entries(REVOCATION_SLA_DIMENSIONS).map(([name, value]) => ({
                  name,
                  operator: "Include" as const,
                  values: [value],
                })),
              }
            : {}),
        },
      ),
      deadLetterQueue: alert(
        "dead-letter-queue",
        "Messages are waiting on the dead-letter queue",
        args.serviceBusNamespaceId,
        {
          metricName: "ActiveMessages",
          metricNamespace: "Microsoft.ServiceBus/namespaces",
          operator: "GreaterThan",
          threshold: 0,
          timeAggregation: "Maximum",
          dimensions: [{ name: "EntityName", operator: "Include", values: [args.deadLetterQueueName] }],
        },
      ),
    };
    this.registerOutputs({ appInsightsId: this.appInsights.id });
  }
}
