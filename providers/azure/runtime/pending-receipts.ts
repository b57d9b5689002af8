import type { Container } from "@azure/cosmos";
import type {
  ErasedItems,
  ErasureSubject,
  ParkedReceipt,
  PendingReceiptStore,
  ReceiptClaim,
  SmsEvent,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { claimHolds, PARKED_RECEIPT_TTL_SECONDS } from "../../../core/processing/parking";
import {
  cosmosId,
  deleteWhere,
  isNotFound,
  queryAll,
  readItem,
  subscriberIdsIn,
  withoutSystemFields,
  withoutUndefined,
  writeIf,
} from "./cosmos-support";

/** Partitioned by /consumer: a consumer's sweep reads one partition. */
interface ParkedItem {
  id: string;
  consumer: string;
  parked_at: string;
  event: SmsEvent;
  /** The batch holding it (see PendingReceiptStore.claim). */
  claim?: ReceiptClaim;
  /** Seconds after the last write Cosmos deletes the item (the container has TTL on, no default). */
  ttl: number;
}

/**
 * Parked receipts (PENDING_RECEIPTS_CONTAINER), one item per (consumer, event id): create() keeps
 * the first park (409 = already parked). The item TTL is only a backstop.
 */
export class CosmosPendingReceiptStore implements PendingReceiptStore, SubscriberEraser {
  constructor(private readonly container: Container) {}

  async park(consumer: string, event: SmsEvent, parkedAt: string): Promise<void> {
    const item: ParkedItem = {
      id: cosmosId(event.eventId),
      consumer,
      parked_at: parkedAt,
      event: withoutUndefined(event),
      ttl: PARKED_RECEIPT_TTL_SECONDS,
    };
    await writeIf(() => this.container.items.create(item));
  }

  async list(consumer: string, limit: number): Promise<ParkedReceipt[]> {
    const items = await queryAll<Pick<ParkedItem, "event" | "parked_at">>(
      this.container,
      `SELECT TOP ${Math.max(1, Math.trunc(limit))} c.event, c.parked_at FROM c WHERE c.consumer = @c ORDER BY c.parked_at ASC`,
      [{ name: "@c", value: consumer }],
      consumer,
    );
    return items.map((item) => ({ event: item.event, parkedAt: item.parked_at }));
  }

  /** Read, then replace with the claim on the item's etag (412: another batch won it). */
  async claim(consumer: string, eventId: string, claim: ReceiptClaim): Promise<boolean> {
    const id = cosmosId(eventId);
    const current = await readItem<ParkedItem>(this.container, id, consumer);
    if (!current?._etag) return false;
    if (claimHolds(current.claim, claim)) return false;
    const etag = current._etag;
    const item: ParkedItem = { ...withoutSystemFields(current), claim };
    try {
      return await writeIf(() =>
        this.container
          .item(id, consumer)
          .replace(item, { accessCondition: { type: "IfMatch", condition: etag } }),
      );
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async remove(consumer: string, eventId: string): Promise<void> {
    try {
      await this.container.item(cosmosId(eventId), consumer).delete();
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Receipts carrying the number or one of the subject's ids, whichever consumer parked them. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const ids = subscriberIdsIn("event.subscriberId", subject.subscriberIds);
    const items = await deleteWhere<{ id: string; consumer: string; event: SmsEvent }>(
      this.container,
      "consumer",
      `c.event.phoneNumber = @p OR ${ids.clause}`,
      [{ name: "@p", value: subject.phoneNumber }, ...ids.parameters],
    );
    return erasedItems(
      "pending-receipts",
      items.map((item) => `${item.consumer}/${item.event.eventId}`),
    );
  }
}
