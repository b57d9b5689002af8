import type { CreateTableCommandInput, KeySchemaElement } from "@aws-sdk/client-dynamodb";
import type { KeyAttribute, TableDesign } from "./tables";

const keySchema = (hashKey: KeyAttribute, rangeKey?: KeyAttribute): KeySchemaElement[] => [
  { AttributeName: hashKey.name, KeyType: "HASH" },
  ...(rangeKey ? [{ AttributeName: rangeKey.name, KeyType: "RANGE" as const }] : []),
];

/** Every key attribute of the table and its indexes, once each (DynamoDB rejects duplicates). */
export const keyAttributesOf = (design: TableDesign): KeyAttribute[] => {
  const all = [
    design.hashKey,
    design.rangeKey,
    ...design.globalIndexes.flatMap((i) => [i.hashKey, i.rangeKey]),
  ];
  const byName = new Map<string, KeyAttribute>();
  for (const attribute of all) if (attribute) byName.set(attribute.name, attribute);
  return [...byName.values()];
};

/**
 * The CreateTable request for a design: on-demand billing, the same keys and indexes the infra
 * deploys. TTL is a separate call (UpdateTimeToLive), see `ttlInputOf`.
 */
export const createTableInput = (design: TableDesign, tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: keyAttributesOf(design).map((a) => ({
    AttributeName: a.name,
    AttributeType: a.type,
  })),
  KeySchema: keySchema(design.hashKey, design.rangeKey),
  ...(design.globalIndexes.length > 0
    ? {
        GlobalSecondaryIndexes: design.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.hashKey, index.rangeKey),
          Projection: { ProjectionType: index.projection },
        })),
      }
    : {}),
});

/** The UpdateTimeToLive request for a design, or undefined when the table has no TTL. */
export const ttlInputOf = (design: TableDesign, tableName: string) =>
  design.ttlAttribute
    ? { TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: design.ttlAttribute } }
    : undefined;
