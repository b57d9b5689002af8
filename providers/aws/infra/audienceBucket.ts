import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CAMPAIGN_PREFIX } from "../../../core/campaign/campaign";
import { securePrivateBucket } from "./privateBucket";

export const AUDIENCE_BUCKET_TYPE = "sms:aws:AudienceBucket";

export interface AudienceBucketArgs {
  bucketPrefix: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Days an uploaded audience is kept: long enough to enroll it, no longer (it is subscriber PII). */
  retentionDays: pulumi.Input<number>;
}

/**
 * Where `smsctl campaign launch` uploads audiences (`campaigns/<id>/audience.csv`): private,
 * KMS-encrypted with the stack key, TLS only, versioned so an overwritten audience is not lost
 * mid-enrollment, and expired after `retentionDays` (old versions after one more day).
 */
export class AudienceBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: AudienceBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AUDIENCE_BUCKET_TYPE, name, {}, opts);
    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucketPrefix: pulumi.interpolate`${args.bucketPrefix}-`, forceDestroy: false },
      { parent: this },
    );
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    const { versioning } = securePrivateBucket(name, this.bucket, args.kmsKeyArn, this);
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            id: "expire-audiences",
            status: "Enabled",
            filter: { prefix: CAMPAIGN_PREFIX },
            expiration: { days: args.retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
