import type { ResourceValidationPolicy } from "@pulumi/policy";

/** Event Hubs: namespaces are Entra-only with TLS 1.2; hubs keep events at least a day. */
export const azureEventHubsSettings: ResourceValidationPolicy = {
  name: "azure-event-hubs-auth-retention",
  description:
    "Event Hubs namespaces disable local (SAS) auth and require TLS 1.2; every hub sets a retention of at least 24 hours.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const props = args.props;
    if (args.type === "azure-native:eventhub:Namespace") {
      if (props.disableLocalAuth !== true) report("disableLocalAuth must be true (Entra ID only)");
      if (props.minimumTlsVersion !== "1.2") report('minimumTlsVersion must be "1.2"');
      return;
    }
    if (args.type === "azure-native:eventhub:EventHub") {
      const hours =
        props.retentionDescription?.retentionTimeInHours ?? (props.messageRetentionInDays ?? 0) * 24;
      if (hours < 24) report(`retention of ${hours} hours is below 24 hours`);
      return;
    }
    args.notApplicable("not an Event Hubs namespace or hub");
  },
};
