import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ARCHIVE_EVENTS_PREFIX,
  ATHENA_RESULTS_PREFIX,
  archiveColumns,
  archivePartitionKeys,
  partitionProjectionParameters,
} from "./archiveColumns";
import { securePrivateBucket } from "./privateBucket";

export const EVENT_ARCHIVE_TYPE = "sms:aws:EventArchive";

export interface EventArchiveArgs {
  bucketPrefix: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Days until current objects expire (>= 365), or "never". */
  expirationDays: pulumi.Input<number | "never">;
  noncurrentVersionDays: pulumi.Input<number>;
  glueDatabaseName: pulumi.Input<string>;
  glueTableName: pulumi.Input<string>;
  athenaWorkgroupName: pulumi.Input<string>;
  /** First day partition projection enumerates (yyyy-MM-dd). */
  firstPartitionDay: pulumi.Input<string>;
}

/**
 * The event archive: a private, KMS-encrypted, versioned S3 bucket of Parquet files under
 * `events/dt=YYYY-MM-DD/`, a Glue table over them with partition projection, and an Athena
 * workgroup that forces encrypted results.
 */
export class EventArchive extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly database: aws.glue.CatalogDatabase;
  public readonly table: aws.glue.CatalogTable;
  public readonly workgroup: aws.athena.Workgroup;

  constructor(name: string, args: EventArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EVENT_ARCHIVE_TYPE, name, {}, opts);
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucketPrefix: pulumi.interpolate`${args.bucketPrefix}-`, forceDestroy: false },
      child,
    );
    const bucket = this.bucket.id;
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;

    const { versioning } = securePrivateBucket(name, this.bucket, args.kmsKeyArn, this);
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "tier-and-expire",
            status: "Enabled",
            filter: { prefix: "" },
            transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
            expiration: pulumi
              .output(args.expirationDays)
              .apply((days) => (days === "never" ? undefined : { days })),
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    this.database = new aws.glue.CatalogDatabase(
      `${name}-database`,
      { name: args.glueDatabaseName, description: "SMS campaign events archive" },
      child,
    );
    this.table = new aws.glue.CatalogTable(
      `${name}-events-table`,
      {
        databaseName: this.database.name,
        name: args.glueTableName,
        tableType: "EXTERNAL_TABLE",
        parameters: pulumi
          .all([this.bucket.bucket, args.firstPartitionDay])
          .apply(([bucketName, firstDay]) => partitionProjectionParameters(bucketName, firstDay)),
        partitionKeys: archivePartitionKeys(),
        storageDescriptor: {
          location: pulumi.interpolate`s3://${this.bucket.bucket}/${ARCHIVE_EVENTS_PREFIX}`,
          inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
          outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
          serDeInfo: {
            name: "parquet",
            serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            parameters: { "serialization.format": "1" },
          },
          columns: archiveColumns(),
        },
      },
      child,
    );
    this.workgroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: args.athenaWorkgroupName,
        forceDestroy: false,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          resultConfiguration: {
            outputLocation: pulumi.interpolate`s3://${this.bucket.bucket}/${ATHENA_RESULTS_PREFIX}`,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.kmsKeyArn },
          },
        },
      },
      child,
    );
    this.registerOutputs({
      bucketName: this.bucketName,
      tableName: this.table.name,
      workgroupName: this.workgroup.name,
    });
  }
}
