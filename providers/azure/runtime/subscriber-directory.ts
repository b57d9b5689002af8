import type { Container } from "@azure/cosmos";
import type {
  ErasedItems,
  ErasureSubject,
  Subscriber,
  SubscriberDirectory,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import {
  cosmosId,
  deleteWhere,
  queryAll,
  readItem,
  subscriberIdsIn,
  withoutUndefined,
} from "./cosmos-support";

/** Partitioned by /id (the subscriber): get and upsert are point operations. */
interface SubscriberItem {
  id: string;
  subscriber_id: string;
  phone_number: string;
  time_zone?: string;
  attributes: Record<string, string>;
}

const toItem = (subscriber: Subscriber): SubscriberItem =>
  withoutUndefined({
    id: cosmosId(subscriber.subscriberId),
    subscriber_id: subscriber.subscriberId,
    phone_number: subscriber.phoneNumber,
    time_zone: subscriber.timeZone,
    attributes: subscriber.attributes,
  });

const fromItem = (item: SubscriberItem): Subscriber =>
  withoutUndefined({
    subscriberId: item.subscriber_id,
    phoneNumber: item.phone_number,
    timeZone: item.time_zone,
    attributes: item.attributes ?? {},
  });

/** Subscribers (SUBSCRIBERS_CONTAINER). */
export class CosmosSubscriberDirectory implements SubscriberDirectory, SubscriberEraser {
  constructor(private readonly container: Container) {}

  async get(subscriberId: string): Promise<Subscriber | undefined> {
    const id = cosmosId(subscriberId);
    const item = await readItem<SubscriberItem>(this.container, id, id);
    return item && fromItem(item);
  }

  async findByPhone(phoneNumber: string): Promise<Subscriber | undefined> {
    const [item] = await queryAll<SubscriberItem>(
      this.container,
      "SELECT * FROM c WHERE c.phone_number = @p",
      [{ name: "@p", value: phoneNumber }],
    );
    return item && fromItem(item);
  }

  async upsert(subscriber: Subscriber): Promise<void> {
    await this.container.items.upsert(toItem(subscriber));
  }

  async *list(): AsyncIterable<Subscriber> {
    const pages = this.container.items.query<SubscriberItem>("SELECT * FROM c").getAsyncIterator();
    for await (const page of pages) {
      for (const item of page.resources) yield fromItem(item);
    }
  }

  /** The subject's records: by the number, or by one of its subscriber ids. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const ids = subscriberIdsIn("subscriber_id", subject.subscriberIds);
    const items = await deleteWhere<SubscriberItem>(
      this.container,
      "id",
      `c.phone_number = @p OR ${ids.clause}`,
      [{ name: "@p", value: subject.phoneNumber }, ...ids.parameters],
    );
    return erasedItems(
      "subscribers",
      items.map((item) => item.subscriber_id),
    );
  }
}
