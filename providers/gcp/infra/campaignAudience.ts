import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CAMPAIGN_PREFIX } from "../../../core/campaign/campaign";
import { PUBSUB_PUBLISHER } from "./consumerFunction";
import { hardenedBucket } from "./hardenedBucket";

export const CAMPAIGN_AUDIENCE_TYPE = "sms:gcp:CampaignAudience";

export interface CampaignAudienceArgs {
  bucketPrefix: pulumi.Input<string>;
  project: pulumi.Input<string>;
  location: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
  topicName: pulumi.Input<string>;
  /** Days an uploaded audience (personal data) is kept; old generations go a week later. */
  retentionDays: pulumi.Input<number>;
  /** The Cloud Storage service agent: it publishes the bucket's notifications. */
  storageServiceAgent: pulumi.Input<string>;
}

/** Uploaded audiences are personal data: deleted after the retention, superseded versions after a week. */
export const audienceLifecycle = (
  retentionDays: pulumi.Input<number>,
): gcp.types.input.storage.BucketLifecycleRule[] => [
  { action: { type: "Delete" }, condition: { age: retentionDays } },
  { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 7, withState: "ARCHIVED" } },
];

/**
 * Where `smsctl campaign launch` uploads audiences: a private CMEK bucket (uniform access, public
 * access prevention) whose finalize notifications for `campaigns/` go to the enrollment topic, the
 * same topic the enrollment function hands its next chunks on through. A storage notification
 * rather than an Eventarc trigger: the only grant it needs is publisher on this one topic (Eventarc
 * needs project-wide roles), and our own subscription on the topic gives every chunk, the first
 * included, bounded retries and a dead letter.
 */
export class CampaignAudience extends pulumi.ComponentResource {
  public readonly bucket: gcp.storage.Bucket;
  public readonly topic: gcp.pubsub.Topic;
  public readonly notification: gcp.storage.Notification;
  public readonly bucketName: pulumi.Output<string>;
  public readonly topicId: pulumi.Output<string>;
  public readonly topicName: pulumi.Output<string>;

  constructor(name: string, args: CampaignAudienceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CAMPAIGN_AUDIENCE_TYPE, name, {}, opts);
    this.bucket = hardenedBucket(
      `${name}-bucket`,
      {
        namePrefix: args.bucketPrefix,
        project: args.project,
        location: args.location,
        kmsKeyName: args.kmsKeyName,
        lifecycleRules: audienceLifecycle(args.retentionDays),
      },
      { parent: this },
    );
    this.topic = new gcp.pubsub.Topic(
      `${name}-topic`,
      { name: args.topicName, kmsKeyName: args.kmsKeyName, messageRetentionDuration: "604800s" },
      { parent: this },
    );
    const agentPublishes = new gcp.pubsub.TopicIAMMember(
      `${name}-agent-publishes`,
      { topic: this.topic.id, role: PUBSUB_PUBLISHER, member: args.storageServiceAgent },
      { parent: this },
    );
    this.notification = new gcp.storage.Notification(
      `${name}-uploads`,
      {
        bucket: this.bucket.name,
        topic: this.topic.id,
        payloadFormat: "JSON_API_V1",
        eventTypes: ["OBJECT_FINALIZE"],
        objectNamePrefix: CAMPAIGN_PREFIX,
      },
      { parent: this, dependsOn: [agentPublishes] },
    );
    this.bucketName = this.bucket.name;
    this.topicId = this.topic.id;
    this.topicName = this.topic.name;
    this.registerOutputs({ bucketName: this.bucketName, topicName: this.topicName });
  }
}
