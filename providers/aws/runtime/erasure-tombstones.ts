import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { ErasureGuard, ErasureTombstone, ErasureTombstoneStore } from "../../../core/ports";
import { screenErasedPorts } from "../../../core/processing/erasure-guard";
import { withoutUndefined } from "./dynamodb-support";
import { ERASED_PREFIX } from "./tables";

interface TombstoneItem {
  phone_number: string;
  erased_at: string;
  consent_entries?: number;
  consent_head_hash?: string;
  removed?: number;
  receipt_hash?: string;
}

/**
 * Erasure tombstones, kept in the opt-outs table (OPT_OUTS_TABLE) under `erased#<salted hash>`: the
 * suppression list is where every sender and the responses consumer already look, and no
 * number in clear is ever its key.
 */
export class DynamoDbErasureTombstones implements ErasureTombstoneStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly optOutsTable: string,
  ) {}

  async put(tombstone: ErasureTombstone): Promise<void> {
    const item: TombstoneItem = withoutUndefined({
      phone_number: `${ERASED_PREFIX}${tombstone.phoneHash}`,
      erased_at: tombstone.erasedAt,
      consent_entries: tombstone.consent?.entries,
      consent_head_hash: tombstone.consent?.headHash,
      removed: tombstone.removed,
      receipt_hash: tombstone.receiptHash,
    });
    await this.documents.send(new PutCommand({ TableName: this.optOutsTable, Item: item }));
  }

  async get(phoneHash: string): Promise<ErasureTombstone | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.optOutsTable,
        Key: { phone_number: `${ERASED_PREFIX}${phoneHash}` },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const item = Item as TombstoneItem;
    return withoutUndefined({
      phoneHash,
      erasedAt: item.erased_at,
      consent:
        item.consent_head_hash === undefined
          ? undefined
          : { entries: item.consent_entries ?? 0, headHash: item.consent_head_hash },
      removed: item.removed,
      receiptHash: item.receipt_hash,
    });
  }
}

/**
 * A function's erasure screening: with the stack's salt in its environment, erased numbers are
 * looked up in the opt-outs table and the opt-out store treats them as opted out; without the
 * salt there can be no tombstones to find, and the ports stay as they are.
 */
export function screenErased<T extends object>(
  ports: T,
  documents: DynamoDBDocumentClient,
  optOutsTable: string,
  salt: string | undefined,
): T & { erasures?: ErasureGuard } {
  return screenErasedPorts(ports, salt, () => new DynamoDbErasureTombstones(documents, optOutsTable));
}
