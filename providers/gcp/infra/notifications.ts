import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export const NOTIFICATIONS_TYPE = "sms:gcp:Notifications";

export interface NotificationsArgs {
  notificationTopicName: pulumi.Input<string>;
  alarmTopicName: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
}

/** Two CMEK Pub/Sub topics: reply notifications (pattern matches) and alerts from Cloud Monitoring. */
export class Notifications extends pulumi.ComponentResource {
  public readonly notificationTopic: gcp.pubsub.Topic;
  public readonly alarmTopic: gcp.pubsub.Topic;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(NOTIFICATIONS_TYPE, name, {}, opts);
    this.notificationTopic = new gcp.pubsub.Topic(
      `${name}-notifications`,
      { name: args.notificationTopicName, kmsKeyName: args.kmsKeyName },
      { parent: this },
    );
    this.alarmTopic = new gcp.pubsub.Topic(
      `${name}-alarms`,
      { name: args.alarmTopicName, kmsKeyName: args.kmsKeyName },
      { parent: this },
    );
    this.registerOutputs({
      notificationTopic: this.notificationTopic.name,
      alarmTopic: this.alarmTopic.name,
    });
  }
}
