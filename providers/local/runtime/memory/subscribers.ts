import type {
  ErasedItems,
  ErasureSubject,
  Subscriber,
  SubscriberDirectory,
  SubscriberEraser,
} from "../../../../core/ports";
import { concernsSubject, erasedItems } from "../../../../core/processing/erasure-subject";

const copy = (s: Subscriber): Subscriber => ({ ...s, attributes: { ...s.attributes } });

export class MemorySubscriberDirectory implements SubscriberDirectory, SubscriberEraser {
  private readonly byId = new Map<string, Subscriber>();

  constructor(initial: Subscriber[] = []) {
    for (const subscriber of initial) this.byId.set(subscriber.subscriberId, copy(subscriber));
  }

  async get(subscriberId: string): Promise<Subscriber | undefined> {
    const found = this.byId.get(subscriberId);
    return found && copy(found);
  }

  async findByPhone(phoneNumber: string): Promise<Subscriber | undefined> {
    for (const subscriber of this.byId.values()) {
      if (subscriber.phoneNumber === phoneNumber) return copy(subscriber);
    }
    return undefined;
  }

  async upsert(subscriber: Subscriber): Promise<void> {
    this.byId.set(subscriber.subscriberId, copy(subscriber));
  }

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys = [...this.byId.values()]
      .filter((s) => concernsSubject(subject, s))
      .map((s) => s.subscriberId);
    for (const key of keys) this.byId.delete(key);
    return erasedItems("subscribers", keys);
  }

  async *list(): AsyncIterable<Subscriber> {
    for (const subscriber of [...this.byId.values()]) yield copy(subscriber);
  }
}
