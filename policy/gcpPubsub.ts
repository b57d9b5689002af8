import * as gcp from "@pulumi/gcp";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";

/** Topics are encrypted with a CMEK key. */
export const gcpTopicsEncrypted: ResourceValidationPolicy = {
  name: "gcp-pubsub-topic-cmek",
  description: "Pub/Sub topics are encrypted with a customer-managed key.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(gcp.pubsub.Topic, (topic, args, report) => {
    if (!topic.kmsKeyName) report(`topic "${topic.name ?? args.name}" must set kmsKeyName (CMEK)`);
  }),
};

/**
 * Every consuming subscription dead-letters after a bounded number of attempts and backs off
 * between them, so a poison message never blocks its ordering key. The subscriptions that hold a
 * dead-letter topic's messages are exempt (they are where dead letters end up).
 */
export const gcpSubscriptionsDeadLetter: StackValidationPolicy = {
  name: "gcp-pubsub-dead-letter",
  description:
    "Pub/Sub subscriptions have a dead-letter policy with bounded delivery attempts and a retry policy (dead-letter holding subscriptions exempt).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { maxDeliveryAttempts: { type: "number", default: 20 } },
  },
  validateStack: (args, report) => {
    const { maxDeliveryAttempts } = args.getConfig<{ maxDeliveryAttempts: number }>();
    const subscriptions = args.resources.filter((r) => r.isType(gcp.pubsub.Subscription));
    if (subscriptions.length === 0) args.notApplicable("no Pub/Sub subscription in this stack");
    const deadLetterTopics = new Set(
      subscriptions.map((s) => s.props.deadLetterPolicy?.deadLetterTopic).filter((t): t is string => !!t),
    );
    for (const subscription of subscriptions) {
      const { props } = subscription;
      if (deadLetterTopics.has(props.topic)) continue;
      const name = props.name ?? subscription.name;
      const policy = props.deadLetterPolicy;
      if (!policy?.deadLetterTopic) {
        report(`subscription "${name}" has no dead-letter topic`, subscription.urn);
        continue;
      }
      const attempts = policy.maxDeliveryAttempts;
      if (typeof attempts !== "number" || attempts > maxDeliveryAttempts) {
        report(
          `subscription "${name}" must bound delivery attempts to at most ${maxDeliveryAttempts}`,
          subscription.urn,
        );
      }
      if (!props.retryPolicy?.minimumBackoff) {
        report(`subscription "${name}" has no retry policy (exponential backoff)`, subscription.urn);
      }
    }
  },
};
