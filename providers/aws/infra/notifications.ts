import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const NOTIFICATIONS_TYPE = "sms:aws:Notifications";

export interface NotificationsArgs {
  notificationTopicName: pulumi.Input<string>;
  alarmTopicName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Subscribes this address to both topics (the recipient confirms by email). */
  email?: pulumi.Input<string>;
}

/** The SNS topics (KMS): reply-pattern notifications and CloudWatch alarms. */
export class Notifications extends pulumi.ComponentResource {
  public readonly notificationTopic: aws.sns.Topic;
  public readonly alarmTopic: aws.sns.Topic;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(NOTIFICATIONS_TYPE, name, {}, opts);
    this.notificationTopic = new aws.sns.Topic(
      `${name}-responses`,
      { name: args.notificationTopicName, kmsMasterKeyId: args.kmsKeyArn },
      { parent: this },
    );
    this.alarmTopic = new aws.sns.Topic(
      `${name}-alarms`,
      { name: args.alarmTopicName, kmsMasterKeyId: args.kmsKeyArn },
      { parent: this },
    );
    if (args.email !== undefined) {
      for (const [suffix, topic] of [
        ["responses", this.notificationTopic],
        ["alarms", this.alarmTopic],
      ] as const) {
        new aws.sns.TopicSubscription(
          `${name}-${suffix}-email`,
          { topic: topic.arn, protocol: "email", endpoint: args.email },
          { parent: this },
        );
      }
    }
    this.registerOutputs({
      notificationTopicArn: this.notificationTopic.arn,
      alarmTopicArn: this.alarmTopic.arn,
    });
  }
}
