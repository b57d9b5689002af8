import type { Container } from "@azure/cosmos";
import type { JourneyState, JourneyStore } from "../../../core/ports";
import {
  type CosmosSystemFields,
  cosmosId,
  queryAll,
  readItem,
  withoutUndefined,
  writeIf,
} from "./cosmos-support";

/** Partitioned by /subscriber_id, so reply routing (bySubscriber) reads one partition. */
interface JourneyItem {
  id: string;
  journey_id: string;
  subscriber_id: string;
  phone_number: string;
  step_id: string;
  status: JourneyState["status"];
  wake_at?: string;
  last_reply?: string;
  version: number;
  updated_at: string;
}

const toItem = (state: JourneyState): JourneyItem =>
  withoutUndefined({
    id: cosmosId(state.journeyId),
    journey_id: state.journeyId,
    subscriber_id: state.subscriberId,
    phone_number: state.phoneNumber,
    step_id: state.stepId,
    status: state.status,
    wake_at: state.wakeAt,
    last_reply: state.lastReply,
    version: state.version,
    updated_at: state.updatedAt,
  });

const fromItem = (item: JourneyItem): JourneyState =>
  withoutUndefined({
    journeyId: item.journey_id,
    subscriberId: item.subscriber_id,
    phoneNumber: item.phone_number,
    stepId: item.step_id,
    status: item.status,
    wakeAt: item.wake_at,
    lastReply: item.last_reply,
    version: item.version,
    updatedAt: item.updated_at,
  });

/**
 * Journey progress (JOURNEYS_CONTAINER). A write checks the stored version and then replaces the
 * item under that read's etag (IfMatch), so a writer that read a stale state gets 412 and loses.
 */
export class CosmosJourneyStore implements JourneyStore {
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
}
