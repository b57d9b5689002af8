import type { Subscriber, SubscriberDirectory } from "../../../../core/ports";

const copy = (s: Subscriber): Subscriber => ({ ...s, attributes: { ...s.attributes } });

export class MemorySubscriberDirectory implements SubscriberDirectory {
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

  async *list(): AsyncIterable<Subscriber> {
    for (const subscriber of [...this.byId.values()]) yield copy(subscriber);
  }
}
