import type { Container } from "@azure/cosmos";
import type { ErasureGuard, ErasureTombstone, ErasureTombstoneStore } from "../../../core/ports";
import { screenErasedPorts } from "../../../core/processing/erasure-guard";
import { cosmosId, readItem, withoutSystemFields, withoutUndefined } from "./cosmos-support";

/** The key of a tombstone in the opt-outs container: never the number in clear. */
const ERASED_PREFIX = "erased#";

interface TombstoneItem {
  id: string;
  phone_number: string;
  tombstone: ErasureTombstone;
}

/**
 * Erasure tombstones, kept in the opt-outs container (partition /phone_number) under
 * `erased#<salted hash>`: the suppression list every send already consults.
 */
export class CosmosErasureTombstones implements ErasureTombstoneStore {
  constructor(private readonly optOuts: Container) {}

  async put(tombstone: ErasureTombstone): Promise<void> {
    const key = `${ERASED_PREFIX}${tombstone.phoneHash}`;
    const item: TombstoneItem = {
      id: cosmosId(key),
      phone_number: key,
      tombstone: withoutUndefined(tombstone),
    };
    await this.optOuts.items.upsert(item);
  }

  async get(phoneHash: string): Promise<ErasureTombstone | undefined> {
    const key = `${ERASED_PREFIX}${phoneHash}`;
    const item = await readItem<TombstoneItem>(this.optOuts, cosmosId(key), key);
    return item && withoutSystemFields(item).tombstone;
  }
}

/**
 * A function's erasure screening (as providers/aws/runtime/erasure-tombstones.ts): with the
 * stack's salt in its app settings, erased numbers are looked up in the opt-outs container and the
 * opt-out store treats them as opted out; without the salt the ports stay as they are.
 */
export const screenErased = <T extends object>(
  ports: T,
  optOuts: () => Container,
  salt: string | undefined,
): T & { erasures?: ErasureGuard } =>
  screenErasedPorts(ports, salt, () => new CosmosErasureTombstones(optOuts()));
