import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyAttributesOf } from "../runtime/table-input";
import { TABLES, type TableDesign, type TableId } from "../runtime/tables";

export const DATA_TABLES_TYPE = "sms:aws:DataTables";

export interface DataTablesArgs {
  responsesTableName: pulumi.Input<string>;
  optOutsTableName: pulumi.Input<string>;
  sendLedgerTableName: pulumi.Input<string>;
  journeysTableName: pulumi.Input<string>;
  messageLogTableName: pulumi.Input<string>;
  subscribersTableName: pulumi.Input<string>;
  campaignsTableName: pulumi.Input<string>;
  pendingReceiptsTableName: pulumi.Input<string>;
  optOutReviewsTableName: pulumi.Input<string>;
  consentLogTableName: pulumi.Input<string>;
  revocationClocksTableName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Refuse `pulumi destroy` of tables holding a year of replies. */
  deletionProtection?: pulumi.Input<boolean>;
}

/** The table arguments for one key design: on demand, PITR, customer-key encryption, TTL if designed. */
export const tableArgsOf = (
  design: TableDesign,
  tableName: pulumi.Input<string>,
  kmsKeyArn: pulumi.Input<string>,
  deletionProtection: pulumi.Input<boolean>,
): aws.dynamodb.TableArgs => ({
  name: tableName,
  billingMode: "PAY_PER_REQUEST",
  hashKey: design.hashKey.name,
  rangeKey: design.rangeKey?.name,
  attributes: keyAttributesOf(design).map((attribute) => ({ name: attribute.name, type: attribute.type })),
  globalSecondaryIndexes: design.globalIndexes.map((index) => ({
    name: index.name,
    hashKey: index.hashKey.name,
    rangeKey: index.rangeKey?.name,
    projectionType: index.projection,
  })),
  pointInTimeRecovery: { enabled: true },
  serverSideEncryption: { enabled: true, kmsKeyArn },
  ttl: design.ttlAttribute ? { enabled: true, attributeName: design.ttlAttribute } : undefined,
  deletionProtectionEnabled: deletionProtection,
});

/**
 * Every DynamoDB table the runtime adapters use, built from the adapters' own key designs
 * (providers/aws/runtime/tables.ts), so deployed keys and written items cannot disagree.
 */
export class DataTables extends pulumi.ComponentResource {
  public readonly tables: Record<TableId, aws.dynamodb.Table>;

  constructor(name: string, args: DataTablesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DATA_TABLES_TYPE, name, {}, opts);
    const physicalNames: Record<TableId, pulumi.Input<string>> = {
      responses: args.responsesTableName,
      optOuts: args.optOutsTableName,
      ledger: args.sendLedgerTableName,
      journeys: args.journeysTableName,
      messages: args.messageLogTableName,
      subscribers: args.subscribersTableName,
      campaigns: args.campaignsTableName,
      pendingReceipts: args.pendingReceiptsTableName,
      optOutReviews: args.optOutReviewsTableName,
      consentLog: args.consentLogTableName,
      revocations: args.revocationClocksTableName,
    };
    const table = (id: TableId) =>
      new aws.dynamodb.Table(
        `${name}-${TABLES[id].logicalName}`,
        tableArgsOf(TABLES[id], physicalNames[id], args.kmsKeyArn, args.deletionProtection ?? true),
        { parent: this },
      );
    this.tables = {
      responses: table("responses"),
      optOuts: table("optOuts"),
      ledger: table("ledger"),
      journeys: table("journeys"),
      messages: table("messages"),
      subscribers: table("subscribers"),
      campaigns: table("campaigns"),
      pendingReceipts: table("pendingReceipts"),
      optOutReviews: table("optOutReviews"),
      consentLog: table("consentLog"),
      revocations: table("revocations"),
    };
    this.registerOutputs({
      tableNames: Object.fromEntries(Object.entries(this.tables).map(([id, t]) => [id, t.name])),
    });
  }

  /** ARNs of every table and its indexes, for IAM statements. */
  arnsWithIndexes(ids: TableId[]): pulumi.Output<string>[] {
    return ids.flatMap((id) => [this.tables[id].arn, pulumi.interpolate`${this.tables[id].arn}/index/*`]);
  }
}
