import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export const DEAD_LETTER_TOPIC_TYPE = "sms:gcp:DeadLetterTopic";

export interface DeadLetterTopicArgs {
  topicName: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
  /** How long dead letters are kept for inspection and redrive (Pub/Sub allows up to 31 days). */
  retention: pulumi.Input<string>;
}

/**
 * Where poison messages (written by the handlers, raw bytes + reason attributes) and messages that
 * exhausted their delivery attempts (moved by Pub/Sub) go. A topic drops what no subscription
 * holds, so a pull subscription that never expires keeps every dead letter until someone reads it.
 */
export class DeadLetterTopic extends pulumi.ComponentResource {
  public readonly topic: gcp.pubsub.Topic;
  public readonly holding: gcp.pubsub.Subscription;
  public readonly topicId: pulumi.Output<string>;
  public readonly topicName: pulumi.Output<string>;

  constructor(name: string, args: DeadLetterTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DEAD_LETTER_TOPIC_TYPE, name, {}, opts);
    this.topic = new gcp.pubsub.Topic(
      `${name}-topic`,
      { name: args.topicName, kmsKeyName: args.kmsKeyName, messageRetentionDuration: args.retention },
      { parent: this },
    );
    this.holding = new gcp.pubsub.Subscription(
      `${name}-holding`,
      {
        name: pulumi.interpolate`${args.topicName}-holding`,
        topic: this.topic.id,
        messageRetentionDuration: args.retention,
        retainAckedMessages: true,
        ackDeadlineSeconds: 60,
        expirationPolicy: { ttl: "" },
      },
      { parent: this },
    );
    this.topicId = this.topic.id;
    this.topicName = this.topic.name;
    this.registerOutputs({ topicId: this.topicId, holdingSubscription: this.holding.name });
  }
}
