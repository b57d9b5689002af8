import * as gcp from "@pulumi/gcp";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

const filtersOf = (resources: PolicyResource[]): { filter: string; resource: PolicyResource }[] =>
  resources
    .filter((r) => r.isType(gcp.monitoring.AlertPolicy))
    .flatMap((resource) =>
      ((resource.props.conditions ?? []) as { conditionThreshold?: { filter?: string } }[]).map((c) => ({
        filter: c.conditionThreshold?.filter ?? "",
        resource,
      })),
    );

/**
 * The GCP stack watches itself: alert policies on the delivery and opt-out rates and on each push
 * subscription's oldest unacknowledged message, and every alert policy notifies a channel.
 */
export const gcpAlertsPresent: StackValidationPolicy = {
  name: "gcp-alerts-present",
  description:
    "Alert policies exist for delivery rate, opt-out rate, revocation SLA breaches and each consuming subscription's backlog; each notifies a channel.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      campaignMetrics: { type: "array", items: { type: "string" }, default: ["DeliveryRate", "OptOutRate"] },
      /** The revocation SLA's breach count (core/processing/revocation-sla.ts). */
      complianceMetrics: { type: "array", items: { type: "string" }, default: ["RevocationSlaBreaches"] },
    },
  },
  validateStack: (args, report) => {
    const { campaignMetrics, complianceMetrics } = args.getConfig<{
      campaignMetrics: string[];
      complianceMetrics: string[];
    }>();
    const subscriptions = args.resources.filter(
      (r) => r.isType(gcp.pubsub.Subscription) && r.props.pushConfig,
    );
    if (subscriptions.length === 0) args.notApplicable("no push subscription in this stack");
    const filters = filtersOf(args.resources);
    for (const metric of campaignMetrics) {
      if (!filters.some(({ filter }) => filter.includes(`/${metric}"`)))
        report(`no alert policy on the campaign metric ${metric}`);
    }
    for (const metric of complianceMetrics) {
      if (!filters.some(({ filter }) => filter.includes(`/${metric}"`)))
        report(`no alert policy on the compliance metric ${metric}`);
    }
    for (const subscription of subscriptions) {
      const name = subscription.props.name;
      const watched = filters.some(
        ({ filter }) => filter.includes("oldest_unacked_message_age") && filter.includes(`"${name}"`),
      );
      if (!watched)
        report(`subscription "${name}" has no oldest-unacked-message-age alert`, subscription.urn);
    }
    for (const alert of args.resources.filter((r) => r.isType(gcp.monitoring.AlertPolicy))) {
      if ((alert.props.notificationChannels ?? []).length === 0)
        report(`alert policy "${alert.props.displayName ?? alert.name}" notifies no channel`, alert.urn);
    }
  },
};
