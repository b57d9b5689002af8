import type { Container } from "@azure/cosmos";
import type { ErasedItems, ErasureSubject, OptOutStore, SubscriberEraser } from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { cosmosId, deleteWhere, readItem, writeIf } from "./cosmos-support";

interface OptOutItem {
  id: string;
  phone_number: string;
  opted_out: boolean;
  opted_out_at?: string;
  source_event_id?: string;
}

/**
 * Opt-outs in Cosmos DB, one item per number, partitioned by /phone_number (OPT_OUTS_CONTAINER).
 * Every transition is a create (409 if someone else created first) or a replace under the read
 * etag (412 if someone else wrote in between), so exactly one STOP confirms; a retry of the very
 * event that opted the number out still answers true, so its confirmation is not lost.
 */
export class CosmosOptOutStore implements OptOutStore, SubscriberEraser {
  constructor(private readonly container: Container) {}

  async optOut(phoneNumber: string, at: string, sourceEventId: string): Promise<boolean> {
    const item: OptOutItem = {
      id: cosmosId(phoneNumber),
      phone_number: phoneNumber,
      opted_out: true,
      opted_out_at: at,
      source_event_id: sourceEventId,
    };
    for (;;) {
      const current = await readItem<OptOutItem>(this.container, item.id, phoneNumber);
      if (current?.opted_out) return current.source_event_id === sourceEventId;
      const written = await writeIf(() =>
        current
          ? this.container
              .item(item.id, phoneNumber)
              .replace(item, { accessCondition: { type: "IfMatch", condition: current._etag ?? "" } })
          : this.container.items.create(item),
      );
      if (written) return true;
      // Lost a race: read again and decide on what the winner wrote.
    }
  }

  async optIn(phoneNumber: string): Promise<boolean> {
    const id = cosmosId(phoneNumber);
    for (;;) {
      const current = await readItem<OptOutItem>(this.container, id, phoneNumber);
      if (!current?.opted_out) return false;
      const written = await writeIf(() =>
        this.container
          .item(id, phoneNumber)
          .replace<OptOutItem>(
            { id, phone_number: phoneNumber, opted_out: false },
            { accessCondition: { type: "IfMatch", condition: current._etag ?? "" } },
          ),
      );
      if (written) return true;
    }
  }

  async isOptedOut(phoneNumber: string): Promise<boolean> {
    const current = await readItem<OptOutItem>(this.container, cosmosId(phoneNumber), phoneNumber);
    return current?.opted_out === true;
  }

  /** The number's item goes; its erasure tombstone keeps it suppressed (CosmosErasureTombstones). */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const items = await deleteWhere<{ id: string; phone_number: string }>(
      this.container,
      "phone_number",
      "c.phone_number = @p",
      [{ name: "@p", value: subject.phoneNumber }],
    );
    return erasedItems(
      "opt-outs",
      items.map((item) => item.phone_number),
    );
  }
}
