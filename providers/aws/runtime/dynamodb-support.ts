import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
} from "@aws-sdk/lib-dynamodb";

/** The document client the adapters use; undefined fields are dropped so optional fields stay absent. */
export const documentClientOf = (dynamodb: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });

/** True when a conditional write lost its condition: the "already there" answer, not a failure. */
export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === "ConditionalCheckFailedException";

/** Runs a conditional write; true when it wrote, false when the condition failed. */
export const writeIf = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};

/** DynamoDB's most keys per BatchGetItem. */
export const BATCH_GET_LIMIT = 100;

/**
 * The items under `keys` (consistent reads, 100 keys per BatchGetItem, unprocessed keys asked
 * again); absent keys are simply not returned.
 */
export const batchGetAll = async <T>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  projection?: string,
): Promise<T[]> => {
  const items: T[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending = keys.slice(start, start + BATCH_GET_LIMIT) as Record<string, unknown>[];
    while (pending.length > 0) {
      const { Responses, UnprocessedKeys } = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ConsistentRead: true,
              ...(projection ? { ProjectionExpression: projection } : {}),
            },
          },
        }),
      );
      items.push(...((Responses?.[tableName] ?? []) as T[]));
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
};

/** DynamoDB's most requests per BatchWriteItem. */
const BATCH_WRITE_LIMIT = 25;

/** Deletes the items under `keys`, 25 per BatchWriteItem, unprocessed ones sent again (deletes are idempotent). */
export const batchDeleteAll = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
): Promise<void> => {
  for (let start = 0; start < keys.length; start += BATCH_WRITE_LIMIT) {
    let pending = keys.slice(start, start + BATCH_WRITE_LIMIT).map((Key) => ({ DeleteRequest: { Key } }));
    while (pending.length > 0) {
      const { UnprocessedItems } = await documents.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
};

/** Every item of a query, following LastEvaluatedKey through the SDK's paginator. */
export const queryAll = async <T>(
  documents: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<T[]> => {
  const items: T[] = [];
  for await (const page of paginateQuery({ client: documents }, input)) {
    items.push(...((page.Items ?? []) as T[]));
  }
  return items;
};

/** Every item of a scan, following LastEvaluatedKey: for reports over small tables, never a hot path. */
export const scanAll = async <T>(
  documents: DynamoDBDocumentClient,
  input: ScanCommandInput,
): Promise<T[]> => {
  const items: T[] = [];
  for await (const page of paginateScan({ client: documents }, input)) {
    items.push(...((page.Items ?? []) as T[]));
  }
  return items;
};

/** Deletes the items under `keys`, a few at a time (erasure: tens of items, not millions). */
export const deleteAll = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
): Promise<void> => {
  const parallel = 8;
  for (let start = 0; start < keys.length; start += parallel) {
    await Promise.all(
      keys
        .slice(start, start + parallel)
        .map((Key) => documents.send(new DeleteCommand({ TableName: tableName, Key }))),
    );
  }
};

export { withoutUndefined } from "../../../core/records";
