import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const EVENT_STREAM_TYPE = "sms:aws:EventStream";

export interface EventStreamArgs {
  streamName: pulumi.Input<string>;
  retentionHours: pulumi.Input<number>;
  kmsKeyArn: pulumi.Input<string>;
  mode: pulumi.Input<"provisioned" | "on-demand">;
  /** Used in provisioned mode only. */
  shardCount: pulumi.Input<number>;
}

/** The Kinesis data stream every delivery event and inbound reply goes through. */
export class EventStream extends pulumi.ComponentResource {
  public readonly stream: aws.kinesis.Stream;
  public readonly arn: pulumi.Output<string>;
  public readonly streamName: pulumi.Output<string>;

  constructor(name: string, args: EventStreamArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EVENT_STREAM_TYPE, name, {}, opts);
    const provisioned = pulumi.output(args.mode).apply((mode) => mode === "provisioned");
    this.stream = new aws.kinesis.Stream(
      `${name}-stream`,
      {
        name: args.streamName,
        retentionPeriod: args.retentionHours,
        encryptionType: "KMS",
        kmsKeyId: args.kmsKeyArn,
        streamModeDetails: {
          streamMode: provisioned.apply((isProvisioned) => (isProvisioned ? "PROVISIONED" : "ON_DEMAND")),
        },
        shardCount: pulumi
          .all([provisioned, args.shardCount])
          .apply(([isProvisioned, shards]) => (isProvisioned ? shards : undefined)),
        shardLevelMetrics: ["IncomingRecords", "IteratorAgeMilliseconds"],
      },
      { parent: this },
    );
    this.arn = this.stream.arn;
    this.streamName = this.stream.name;
    this.registerOutputs({ arn: this.arn, streamName: this.streamName });
  }
}
