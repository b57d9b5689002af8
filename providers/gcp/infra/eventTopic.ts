import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export const EVENT_TOPIC_TYPE = "sms:gcp:EventTopic";

export interface EventTopicArgs {
  topicName: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
  /** e.g. "2678400s" (31 days, Pub/Sub's maximum). */
  retention: pulumi.Input<string>;
  /** Regions allowed to store messages (data residency). */
  allowedRegions: pulumi.Input<string>[];
}

/**
 * The stream: one Pub/Sub topic every delivery event and inbound reply reaches, CMEK-encrypted,
 * retaining messages (so subscriptions can seek back) for up to 31 days. The archive keeps the year.
 */
export class EventTopic extends pulumi.ComponentResource {
  public readonly topic: gcp.pubsub.Topic;
  public readonly topicId: pulumi.Output<string>;
  public readonly topicName: pulumi.Output<string>;

  constructor(name: string, args: EventTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EVENT_TOPIC_TYPE, name, {}, opts);
    this.topic = new gcp.pubsub.Topic(
      `${name}-topic`,
      {
        name: args.topicName,
        kmsKeyName: args.kmsKeyName,
        messageRetentionDuration: args.retention,
        messageStoragePolicy: { allowedPersistenceRegions: args.allowedRegions },
      },
      { parent: this },
    );
    this.topicId = this.topic.id;
    this.topicName = this.topic.name;
    this.registerOutputs({ topicId: this.topicId });
  }
}
