import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { type CloudFunctionArgs, cloudFunction, serviceAccountIdOf } from "./cloudFunction";

export const CONSUMER_FUNCTION_TYPE = "sms:gcp:ConsumerFunction";

/** What each push delivery may become: the Pub/Sub roles the service agent needs for dead-lettering. */
export const PUBSUB_SUBSCRIBER = "roles/pubsub.subscriber";
export const PUBSUB_PUBLISHER = "roles/pubsub.publisher";
export const RUN_INVOKER = "roles/run.invoker";

export interface ConsumerFunctionArgs extends Omit<CloudFunctionArgs, "ingress"> {
  /** The events topic (id `projects/p/topics/t`) this consumer's subscription reads. */
  topicId: pulumi.Input<string>;
  topicName: pulumi.Input<string>;
  subscriptionName: pulumi.Input<string>;
  deadLetterTopicId: pulumi.Input<string>;
  maxDeliveryAttempts: pulumi.Input<number>;
  minimumBackoffSeconds: pulumi.Input<number>;
  maximumBackoffSeconds: pulumi.Input<number>;
  ackDeadlineSeconds: pulumi.Input<number>;
  /** The Pub/Sub service agent (`serviceAccount:service-N@gcp-sa-pubsub...`): it dead-letters. */
  pubsubServiceAgent: pulumi.Input<string>;
  /** Roles this function needs, granted by the caller on the resources themselves. */
  grants?: (serviceAccountMember: pulumi.Output<string>, parent: pulumi.Resource) => void;
}

/** The push path the Functions Framework turns into a Pub/Sub CloudEvent (it reads the topic from the path). */
export const pushEndpointOf = (url: pulumi.Input<string>, topicId: pulumi.Input<string>) =>
  pulumi.interpolate`${url}/${topicId}`;

const seconds = (value: pulumi.Input<number>) => pulumi.output(value).apply((s) => `${s}s`);

/**
 * One stream consumer: a Cloud Functions gen2 function (internal ingress) and its own push
 * subscription on the events topic, authenticated with an OIDC token of a dedicated pusher
 * account that may only invoke this function. Ordered per key; failed deliveries are retried with
 * exponential backoff, and after `maxDeliveryAttempts` Pub/Sub moves the message to the
 * dead-letter topic, so a poison message never blocks its ordering key.
 */
export class ConsumerFunction extends pulumi.ComponentResource {
  public readonly function: gcp.cloudfunctionsv2.Function;
  public readonly serviceAccount: gcp.serviceaccount.Account;
  public readonly pusher: gcp.serviceaccount.Account;
  public readonly subscription: gcp.pubsub.Subscription;
  public readonly functionName: pulumi.Output<string>;
  public readonly serviceAccountMember: pulumi.Output<string>;

  constructor(name: string, args: ConsumerFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CONSUMER_FUNCTION_TYPE, name, {}, opts);
    const parts = cloudFunction(name, { ...args, ingress: "ALLOW_INTERNAL_ONLY" }, this);
    this.function = parts.function;
    this.serviceAccount = parts.serviceAccount;
    this.functionName = this.function.name;
    this.serviceAccountMember = this.serviceAccount.member;
    args.grants?.(this.serviceAccountMember, this);

    this.pusher = new gcp.serviceaccount.Account(
      `${name}-pusher`,
      {
        accountId: serviceAccountIdOf(`${name}-push`),
        displayName: pulumi.interpolate`Pub/Sub push to ${args.functionName}`,
        description: "Signs push requests; may only invoke its one function",
      },
      { parent: this },
    );
    const invoker = new gcp.cloudrunv2.ServiceIamMember(
      `${name}-invoker`,
      {
        project: args.project,
        location: args.region,
        name: this.function.name,
        role: RUN_INVOKER,
        member: this.pusher.member,
      },
      { parent: this },
    );
    this.subscription = new gcp.pubsub.Subscription(
      `${name}-subscription`,
      {
        name: args.subscriptionName,
        topic: args.topicId,
        ackDeadlineSeconds: args.ackDeadlineSeconds,
        enableMessageOrdering: true,
        messageRetentionDuration: "604800s",
        expirationPolicy: { ttl: "" },
        retryPolicy: {
          minimumBackoff: seconds(args.minimumBackoffSeconds),
          maximumBackoff: seconds(args.maximumBackoffSeconds),
        },
        deadLetterPolicy: {
          deadLetterTopic: args.deadLetterTopicId,
          maxDeliveryAttempts: args.maxDeliveryAttempts,
        },
        pushConfig: {
          pushEndpoint: pushEndpointOf(this.function.url, args.topicId),
          oidcToken: { serviceAccountEmail: this.pusher.email, audience: this.function.url },
        },
      },
      { parent: this, dependsOn: [invoker] },
    );
    // Dead-lettering: the Pub/Sub service agent acknowledges here and publishes to the dead-letter topic.
    new gcp.pubsub.SubscriptionIAMMember(
      `${name}-agent-subscriber`,
      { subscription: this.subscription.name, role: PUBSUB_SUBSCRIBER, member: args.pubsubServiceAgent },
      { parent: this },
    );
    this.registerOutputs({ functionName: this.functionName, subscription: this.subscription.name });
  }
}
