import * as servicebus from "@pulumi/azure-native/servicebus";
import * as pulumi from "@pulumi/pulumi";

export const NOTIFICATIONS_TYPE = "sms:azure:Notifications";

export interface NotificationsArgs {
  resourceGroupName: pulumi.Input<string>;
  location?: pulumi.Input<string>;
  namespaceName: pulumi.Input<string>;
  topicName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
  /** The campaigns app's queue: audience BlobCreated events and next-chunk hand-offs. */
  enrollmentQueueName: pulumi.Input<string>;
}

/** Deliveries of one enrollment message before Service Bus moves it to the queue's dead-letter sub-queue. */
export const ENROLLMENT_MAX_DELIVERY_COUNT = 5;

/**
 * Service Bus (Standard: topics and duplicate detection): the notification topic, whose duplicate
 * detection drops a replayed notification (message id = notification id), and the dead-letter queue
 * the consumers send undecodable and exhausted records to. Entra ID only, TLS 1.2.
 */
export class Notifications extends pulumi.ComponentResource {
  public readonly namespace: servicebus.Namespace;
  public readonly topic: servicebus.Topic;
  public readonly deadLetterQueue: servicebus.Queue;
  public readonly enrollmentQueue: servicebus.Queue;
  public readonly fullyQualifiedNamespace: pulumi.Output<string>;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(NOTIFICATIONS_TYPE, name, {}, opts);
    const child = { parent: this };
    this.namespace = new servicebus.Namespace(
      `${name}-namespace`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: args.namespaceName,
        ...(args.location ? { location: args.location } : {}),
        sku: { name: "Standard", tier: "Standard" },
        disableLocalAuth: true,
        minimumTlsVersion: "1.2",
      },
      child,
    );
    this.topic = new servicebus.Topic(
      `${name}-topic`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: this.namespace.name,
        topicName: args.topicName,
        requiresDuplicateDetection: true,
        duplicateDetectionHistoryTimeWindow: "PT1H",
        defaultMessageTimeToLive: "P14D",
      },
      child,
    );
    this.deadLetterQueue = new servicebus.Queue(
      `${name}-dlq`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: this.namespace.name,
        queueName: args.deadLetterQueueName,
        // Dead letters are evidence: they never expire and nobody deduplicates them.
        defaultMessageTimeToLive: "P10675199DT2H48M5.4775807S",
        requiresDuplicateDetection: false,
        deadLetteringOnMessageExpiration: false,
        maxDeliveryCount: 10,
        lockDuration: "PT1M",
      },
      child,
    );
    this.enrollmentQueue = new servicebus.Queue(
      `${name}-enrollment`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: this.namespace.name,
        queueName: args.enrollmentQueueName,
        // A chunk that keeps failing stops after a few deliveries, kept in the dead-letter sub-queue.
        maxDeliveryCount: ENROLLMENT_MAX_DELIVERY_COUNT,
        deadLetteringOnMessageExpiration: true,
        defaultMessageTimeToLive: "P14D",
        // A retried chunk hands the next one on again under the same message id: dropped here.
        requiresDuplicateDetection: true,
        duplicateDetectionHistoryTimeWindow: "P1D",
        // The function renews the lock while a chunk runs (host.json maxAutoLockRenewalDuration).
        lockDuration: "PT5M",
      },
      child,
    );
    this.fullyQualifiedNamespace = pulumi.interpolate`${this.namespace.name}.servicebus.windows.net`;
    this.registerOutputs({ fullyQualifiedNamespace: this.fullyQualifiedNamespace });
  }
}
