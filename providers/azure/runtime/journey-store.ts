import type { Container } from "@azure/cosmos";
import type {
  ErasedItems,
  ErasureSubject,
  JourneyState,
  JourneyStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { type JourneyRecord, journeyRecordOf, journeyStateOf } from "../../../core/records";
import {
  type CosmosSystemFields,
  cosmosId,
  deleteWhere,
  queryAll,
  readItem,
  subscriberIdsIn,
  writeIf,
} from "./cosmos-support";

/** Partitioned by /subscriber_id, so reply routing (bySubscriber) reads one partition. */
interface JourneyItem extends JourneyRecord {
  id: string;
}

const toItem = (state: JourneyState): JourneyItem => ({
  id: cosmosId(state.journeyId),
  ...journeyRecordOf(state),
});

const fromItem = (item: JourneyItem): JourneyState => journeyStateOf(item);

/**
 * Journey progress (JOURNEYS_CONTAINER). A write checks the stored version and then replaces the
 * item under that read's etag (IfMatch), so a writer that read a stale state gets 412 and loses.
 */
export class CosmosJourneyStore implements JourneyStore, SubscriberEraser {
  constructor(private readonly container: Container) {}

  async get(journeyId: string, subscriberId: string): Promise<JourneyState | undefined> {
    const item = await readItem<JourneyItem>(this.container, cosmosId(journeyId), subscriberId);
    return item && fromItem(item);
  }

  async put(state: JourneyState, expectedVersion: number): Promise<boolean> {
    const item = toItem(state);
    if (expectedVersion === 0) return writeIf(() => this.container.items.create(item));
    const current: (JourneyItem & CosmosSystemFields) | undefined = await readItem<JourneyItem>(
      this.container,
      item.id,
      state.subscriberId,
    );
    if (current?.version !== expectedVersion || !current._etag) return false;
    const etag = current._etag;
    return writeIf(() =>
      this.container
        .item(item.id, state.subscriberId)
        .replace(item, { accessCondition: { type: "IfMatch", condition: etag } }),
    );
  }

  async bySubscriber(subscriberId: string): Promise<JourneyState[]> {
    const items = await queryAll<JourneyItem>(
      this.container,
      "SELECT * FROM c WHERE c.subscriber_id = @s AND c.status <> 'done'",
      [{ name: "@s", value: subscriberId }],
      subscriberId,
    );
    return items.map(fromItem);
  }

  async due(at: string, limit: number): Promise<JourneyState[]> {
    if (limit <= 0) return [];
    // TOP takes a literal: `limit` is an integer we format ourselves, never caller text.
    const top = Math.floor(limit);
    const items = await queryAll<JourneyItem>(
      this.container,
      `SELECT TOP ${top} * FROM c WHERE c.status = 'waiting' AND IS_DEFINED(c.wake_at) AND c.wake_at <= @at ORDER BY c.wake_at ASC`,
      [{ name: "@at", value: at }],
    );
    return items.map(fromItem);
  }

  /** Every journey of the subject's subscriber ids, done ones too, and any naming the number. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const ids = subscriberIdsIn("subscriber_id", subject.subscriberIds);
    const items = await deleteWhere<{ id: string; journey_id: string; subscriber_id: string }>(
      this.container,
      "subscriber_id",
      `c.phone_number = @p OR ${ids.clause}`,
      [{ name: "@p", value: subject.phoneNumber }, ...ids.parameters],
    );
    return erasedItems(
      "journeys",
      items.map((item) => `${item.journey_id}/${item.subscriber_id}`),
    );
  }
}
