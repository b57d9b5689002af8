import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const DEAD_LETTER_QUEUE_TYPE = "sms:aws:DeadLetterQueue";

export interface DeadLetterQueueArgs {
  queueName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** SQS maximum: 14 days. */
  retentionSeconds?: pulumi.Input<number>;
}

/** An SQS queue (KMS) for records that failed after bounded retries, kept 14 days for replay. */
export class DeadLetterQueue extends pulumi.ComponentResource {
  public readonly queue: aws.sqs.Queue;
  public readonly arn: pulumi.Output<string>;
  public readonly url: pulumi.Output<string>;
  public readonly queueName: pulumi.Output<string>;

  constructor(name: string, args: DeadLetterQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DEAD_LETTER_QUEUE_TYPE, name, {}, opts);
    this.queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        name: args.queueName,
        kmsMasterKeyId: args.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        messageRetentionSeconds: args.retentionSeconds ?? 1_209_600,
      },
      { parent: this },
    );
    this.arn = this.queue.arn;
    this.url = this.queue.url;
    this.queueName = this.queue.name;
    this.registerOutputs({ arn: this.arn, url: this.url });
  }
}
