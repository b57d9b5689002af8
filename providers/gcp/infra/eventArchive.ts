import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ARCHIVE_PREFIX } from "../../../core/processing/archive";
import { bigQueryArchiveSchema, hivePartitionPrefix } from "./archiveSchema";
import { hardenedBucket } from "./hardenedBucket";

export const EVENT_ARCHIVE_TYPE = "sms:gcp:EventArchive";

export interface EventArchiveArgs {
  bucketPrefix: pulumi.Input<string>;
  project: pulumi.Input<string>;
  location: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
  nearlineAfterDays: pulumi.Input<number>;
  coldlineAfterDays: pulumi.Input<number>;
  /** At least 365: the one-year promise. */
  deleteAfterDays: pulumi.Input<number>;
  /** Creates a BigQuery dataset and an external table over the Parquet files. */
  bigQuery: boolean;
  datasetId: pulumi.Input<string>;
  tableId: pulumi.Input<string>;
}

/** The lifecycle: colder storage as objects age, deletion after the retention, old versions after 30 days. */
export const archiveLifecycle = (
  nearlineAfterDays: pulumi.Input<number>,
  coldlineAfterDays: pulumi.Input<number>,
  deleteAfterDays: pulumi.Input<number>,
): gcp.types.input.storage.BucketLifecycleRule[] => [
  {
    action: { type: "SetStorageClass", storageClass: "NEARLINE" },
    condition: { age: nearlineAfterDays, matchesStorageClasses: ["STANDARD"] },
  },
  {
    action: { type: "SetStorageClass", storageClass: "COLDLINE" },
    condition: { age: coldlineAfterDays, matchesStorageClasses: ["NEARLINE"] },
  },
  { action: { type: "Delete" }, condition: { age: deleteAfterDays } },
  { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 30, withState: "ARCHIVED" } },
];

/**
 * Every event as Parquet under `events/dt=YYYY-MM-DD/` in a private CMEK bucket, and (optionally)
 * a BigQuery external table over it, hive-partitioned on `dt`, so the archive answers SQL.
 */
export class EventArchive extends pulumi.ComponentResource {
  public readonly bucket: gcp.storage.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly dataset?: gcp.bigquery.Dataset;
  public readonly table?: gcp.bigquery.Table;

  constructor(name: string, args: EventArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EVENT_ARCHIVE_TYPE, name, {}, opts);
    this.bucket = hardenedBucket(
      `${name}-bucket`,
      {
        namePrefix: args.bucketPrefix,
        project: args.project,
        location: args.location,
        kmsKeyName: args.kmsKeyName,
        lifecycleRules: archiveLifecycle(
          args.nearlineAfterDays,
          args.coldlineAfterDays,
          args.deleteAfterDays,
        ),
      },
      { parent: this },
    );
    this.bucketName = this.bucket.name;
    if (args.bigQuery) {
      this.dataset = new gcp.bigquery.Dataset(
        `${name}-dataset`,
        {
          datasetId: args.datasetId,
          location: args.location,
          defaultEncryptionConfiguration: { kmsKeyName: args.kmsKeyName },
          description: "SMS events archive (external tables over Cloud Storage Parquet)",
        },
        { parent: this },
      );
      const root = pulumi.interpolate`gs://${this.bucket.name}/${ARCHIVE_PREFIX}`;
      this.table = new gcp.bigquery.Table(
        `${name}-table`,
        {
          datasetId: this.dataset.datasetId,
          tableId: args.tableId,
          deletionProtection: false,
          encryptionConfiguration: { kmsKeyName: args.kmsKeyName },
          schema: JSON.stringify(bigQueryArchiveSchema()),
          externalDataConfiguration: {
            sourceFormat: "PARQUET",
            autodetect: false,
            sourceUris: [pulumi.interpolate`${root}*`],
            hivePartitioningOptions: {
              mode: "CUSTOM",
              sourceUriPrefix: root.apply(hivePartitionPrefix),
              requirePartitionFilter: false,
            },
          },
        },
        { parent: this },
      );
    }
    this.registerOutputs({ bucketName: this.bucketName, table: this.table?.tableId });
  }
}
