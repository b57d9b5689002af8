import { createHash } from "node:crypto";
import type { Container, SqlParameter } from "@azure/cosmos";

/** Cosmos DB item ids may not contain `/ \ ? #` and are at most 255 characters. */
export const cosmosId = (key: string): string => {
  const encoded = encodeURIComponent(key);
  return encoded.length <= 255 ? encoded : `sha256-${createHash("sha256").update(key).digest("hex")}`;
};

const statusOf = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown; statusCode?: unknown } | null)?.code;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : typeof status === "number" ? status : undefined;
};

/** 409: an item with that id already exists in the partition. */
export const isConflict = (error: unknown): boolean => statusOf(error) === 409;
/** 412: the etag of an IfMatch write no longer matches (someone else wrote first). */
export const isPreconditionFailed = (error: unknown): boolean => statusOf(error) === 412;
export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;

/** Runs a conditional write: true when it happened, false on 409/412, anything else rethrown. */
export const writeIf = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConflict(error) || isPreconditionFailed(error)) return false;
    throw error;
  }
};

/** The stored fields Cosmos adds to every item, dropped before items go back to core. */
export type CosmosSystemFields = {
  _rid?: string;
  _self?: string;
  _etag?: string;
  _attachments?: string;
  _ts?: number;
};

export const withoutSystemFields = <T extends object>(item: T & CosmosSystemFields): T => {
  const { _rid, _self, _etag, _attachments, _ts, ...rest } = item;
  return rest as T;
};

/** Reads one item; undefined when it does not exist (the SDK answers 404 without throwing). */
export const readItem = async <T extends object>(
  container: Container,
  id: string,
  partitionKey: string,
): Promise<(T & CosmosSystemFields) | undefined> => {
  try {
    const { resource } = await container.item(id, partitionKey).read<T & CosmosSystemFields>();
    return resource ?? undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
};

/** Every result of a parameterised query (pages followed to the end). */
export const queryAll = async <T>(
  container: Container,
  query: string,
  parameters: SqlParameter[],
  partitionKey?: string,
): Promise<T[]> => {
  const { resources } = await container.items
    .query<T>({ query, parameters }, partitionKey === undefined ? {} : { partitionKey })
    .fetchAll();
  return resources;
};

/**
 * Deletes every item matching `where` (cross-partition: erasure is rare) and returns them. Each is
 * deleted by its id in the partition `partitionKeyField` names; one already gone is no error.
 */
export const deleteWhere = async <T extends { id: string }>(
  container: Container,
  partitionKeyField: string,
  where: string,
  parameters: SqlParameter[],
): Promise<T[]> => {
  const items = await queryAll<T>(container, `SELECT * FROM c WHERE ${where}`, parameters);
  for (const item of items) {
    try {
      await container.item(item.id, (item as Record<string, unknown>)[partitionKeyField] as string).delete();
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return items;
};

/** `c.<field> IN (@s0, @s1)` for the subject's subscriber ids, or a clause that matches nothing. */
export const subscriberIdsIn = (
  field: string,
  ids: readonly string[],
): { clause: string; parameters: SqlParameter[] } =>
  ids.length === 0
    ? { clause: "false", parameters: [] }
    : {
        clause: `c.${field} IN (${ids.map((_, i) => `@s${i}`).join(", ")})`,
        parameters: ids.map((value, i) => ({ name: `@s${i}`, value })),
      };

export { withoutUndefined } from "../../../core/records";
