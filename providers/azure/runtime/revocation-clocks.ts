import type { Container } from "@azure/cosmos";
import type {
  ErasedItems,
  ErasureSubject,
  RevocationClock,
  RevocationClockStart,
  RevocationClockStore,
  RevocationVerdict,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { byOptedOutAt } from "../../../core/processing/revocation-sla";
import {
  cosmosId,
  deleteWhere,
  isConflict,
  queryAll,
  readItem,
  subscriberIdsIn,
  withoutSystemFields,
  writeIf,
} from "./cosmos-support";

/** Concurrent writers of one clock retry a few times; more conflicts than this is a real failure. */
const MAX_ATTEMPTS = 5;

/** The stored item: the clock under its id, plus `open` while it runs (the due query's filter). */
type ClockItem = RevocationClock & { id: string; open: boolean };

const clockOf = (item: ClockItem): RevocationClock => {
  const { id: _id, open: _open, ...clock } = withoutSystemFields(item);
  return clock;
};

/**
 * Revocation SLA clocks in Cosmos DB (REVOCATION_CLOCKS_CONTAINER), one item per opting-out event,
 * partitioned by /id so each clock is a point read. start() is a create (409 = a replay);
 * confirm() and settle() replace under the read etag (412 = another writer; read again), so the
 * first write stands. due() and list() cross partitions and sort here, as the review queue does.
 */
export class CosmosRevocationClockStore implements RevocationClockStore, SubscriberEraser {
  constructor(private readonly container: Container) {}

  async start(clock: RevocationClockStart): Promise<"created" | "exists"> {
    try {
      await this.container.items.create({ ...clock, id: cosmosId(clock.eventId), open: true });
      return "created";
    } catch (error) {
      if (isConflict(error)) return "exists";
      throw error;
    }
  }

  async confirm(eventId: string, confirmedAt: string, messageId?: string): Promise<void> {
    await this.replaceOnce(eventId, (clock) =>
      clock.confirmedAt === undefined
        ? { ...clock, confirmedAt, ...(messageId === undefined ? {} : { confirmationMessageId: messageId }) }
        : undefined,
    );
  }

  async due(optedOutBefore: string, limit: number): Promise<RevocationClock[]> {
    const items = await queryAll<ClockItem>(
      this.container,
      "SELECT * FROM c WHERE c.open = true AND c.optedOutAt <= @cutoff",
      [{ name: "@cutoff", value: optedOutBefore }],
    );
    return items.map(clockOf).sort(byOptedOutAt).slice(0, limit);
  }

  async settle(eventId: string, verdict: RevocationVerdict): Promise<boolean> {
    return this.replaceOnce(eventId, (clock) =>
      clock.verdict ? undefined : { ...clock, verdict, open: false },
    );
  }

  async list(): Promise<RevocationClock[]> {
    const items = await queryAll<ClockItem>(this.container, "SELECT * FROM c", []);
    return items.map(clockOf).sort(byOptedOutAt);
  }

  /** The number's clocks, and any kept under one of its subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const bySubscriber = subscriberIdsIn("subscriberId", subject.subscriberIds);
    const items = await deleteWhere<ClockItem>(
      this.container,
      "id",
      `c.phoneNumber = @phone OR ${bySubscriber.clause}`,
      [{ name: "@phone", value: subject.phoneNumber }, ...bySubscriber.parameters],
    );
    return erasedItems(
      "revocation-clocks",
      items.map((item) => item.eventId),
    );
  }

  /** Replaces the stored clock with `change`'s result unless it returns undefined; true when it wrote. */
  private async replaceOnce(
    eventId: string,
    change: (clock: ClockItem) => ClockItem | undefined,
  ): Promise<boolean> {
    const id = cosmosId(eventId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await readItem<ClockItem>(this.container, id, id);
      const next = current && change(withoutSystemFields(current));
      if (!current || !next) return false;
      const written = await writeIf(() =>
        this.container
          .item(id, id)
          .replace(next, { accessCondition: { type: "IfMatch", condition: current._etag ?? "" } }),
      );
      if (written) return true;
    }
    throw new Error(`revocation clock ${eventId}: too many concurrent writers`);
  }
}
