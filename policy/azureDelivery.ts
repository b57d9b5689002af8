import type { ResourceValidationPolicy } from "@pulumi/policy";

/** Service Bus' "never expires" TTL (TimeSpan.MaxValue), which the evidence queue uses. */
const NEVER_EXPIRES = "P10675199DT2H48M5.4775807S";
const MAX_DELIVERIES = 10;
const MAX_EVENT_GRID_ATTEMPTS = 30;

/**
 * Work never vanishes and never loops: a Service Bus queue stops redelivering after a bounded
 * number of attempts (then its dead-letter sub-queue holds the message), and a queue whose
 * messages expire dead-letters them instead of dropping them; an Event Grid subscription has
 * bounded retries and a dead-letter destination.
 */
export const azureDeliveryBoundedAndDeadLettered: ResourceValidationPolicy = {
  name: "azure-delivery-bounded-dead-lettered",
  description:
    "Service Bus queues set a max delivery count of at most 10 and dead-letter expired messages; Event Grid subscriptions bound their retries and dead-letter what they cannot deliver.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const props = args.props;
    if (args.type === "azure-native:servicebus:Queue") {
      const count = props.maxDeliveryCount;
      if (typeof count !== "number" || count < 1 || count > MAX_DELIVERIES) {
        report(
          `maxDeliveryCount must be set between 1 and ${MAX_DELIVERIES} (got ${count ?? "the default"})`,
        );
      }
      if (
        props.defaultMessageTimeToLive !== NEVER_EXPIRES &&
        props.deadLetteringOnMessageExpiration !== true
      ) {
        report("deadLetteringOnMessageExpiration must be true: expired messages would be dropped");
      }
      return;
    }
    if (args.type === "azure-native:eventgrid:SystemTopicEventSubscription") {
      const attempts = props.retryPolicy?.maxDeliveryAttempts;
      if (typeof attempts !== "number" || attempts > MAX_EVENT_GRID_ATTEMPTS) {
        report(`retryPolicy.maxDeliveryAttempts must be set, at most ${MAX_EVENT_GRID_ATTEMPTS}`);
      }
      if (!props.deadLetterWithResourceIdentity?.deadLetterDestination && !props.deadLetterDestination) {
        report("a dead-letter destination is required: undeliverable events would be dropped");
      }
      return;
    }
    args.notApplicable("not a Service Bus queue or an Event Grid subscription");
  },
};
