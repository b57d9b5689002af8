import type {
  ErasedItems,
  ErasureSubject,
  RevocationClock,
  RevocationClockStart,
  RevocationClockStore,
  RevocationVerdict,
  SubscriberEraser,
} from "../../../../core/ports";
import { concernsSubject, erasedItems } from "../../../../core/processing/erasure-subject";
import { byOptedOutAt } from "../../../../core/processing/revocation-sla";

const copyOf = (clock: RevocationClock): RevocationClock => structuredClone(clock);

export class MemoryRevocationClockStore implements RevocationClockStore, SubscriberEraser {
  private readonly clocks = new Map<string, RevocationClock>();

  async start(clock: RevocationClockStart): Promise<"created" | "exists"> {
    if (this.clocks.has(clock.eventId)) return "exists";
    this.clocks.set(clock.eventId, copyOf(clock));
    return "created";
  }

  async confirm(eventId: string, confirmedAt: string, messageId?: string): Promise<void> {
    const clock = this.clocks.get(eventId);
    if (!clock || clock.confirmedAt !== undefined) return;
    this.clocks.set(eventId, {
      ...clock,
      confirmedAt,
      ...(messageId === undefined ? {} : { confirmationMessageId: messageId }),
    });
  }

  async due(optedOutBefore: string, limit: number): Promise<RevocationClock[]> {
    return [...this.clocks.values()]
      .filter((clock) => !clock.verdict && Date.parse(clock.optedOutAt) <= Date.parse(optedOutBefore))
      .sort(byOptedOutAt)
      .slice(0, limit)
      .map(copyOf);
  }

  async settle(eventId: string, verdict: RevocationVerdict): Promise<boolean> {
    const clock = this.clocks.get(eventId);
    if (!clock || clock.verdict) return false;
    this.clocks.set(eventId, { ...clock, verdict: structuredClone(verdict) });
    return true;
  }

  async list(): Promise<RevocationClock[]> {
    return [...this.clocks.values()].sort(byOptedOutAt).map(copyOf);
  }

  /** Every clock of the number or one of the subject's subscriber ids, judged or running. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const removed = [...this.clocks.values()]
      .filter((clock) => concernsSubject(subject, clock))
      .map((clock) => clock.eventId);
    for (const eventId of removed) this.clocks.delete(eventId);
    return erasedItems("revocation-clocks", removed);
  }
}
