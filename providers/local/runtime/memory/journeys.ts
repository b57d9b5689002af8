import type {
  ErasedItems,
  ErasureSubject,
  JourneyState,
  JourneyStore,
  SubscriberEraser,
} from "../../../../core/ports";
import { concernsSubject, erasedItems } from "../../../../core/processing/erasure-subject";

const keyOf = (journeyId: string, subscriberId: string) => `${journeyId}\u0000${subscriberId}`;

export class MemoryJourneyStore implements JourneyStore, SubscriberEraser {
  private readonly states = new Map<string, JourneyState>();

  async get(journeyId: string, subscriberId: string): Promise<JourneyState | undefined> {
    const state = this.states.get(keyOf(journeyId, subscriberId));
    return state && { ...state };
  }

  async put(state: JourneyState, expectedVersion: number): Promise<boolean> {
    const key = keyOf(state.journeyId, state.subscriberId);
    const storedVersion = this.states.get(key)?.version ?? 0;
    if (storedVersion !== expectedVersion) return false;
    this.states.set(key, { ...state });
    return true;
  }

  async bySubscriber(subscriberId: string): Promise<JourneyState[]> {
    return [...this.states.values()]
      .filter((s) => s.subscriberId === subscriberId && s.status !== "done")
      .map((s) => ({ ...s }))
      .sort((a, b) => a.journeyId.localeCompare(b.journeyId));
  }

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys = [...this.states.entries()]
      .filter(([, s]) => concernsSubject(subject, s))
      .map(([key]) => key);
    for (const key of keys) this.states.delete(key);
    return erasedItems(
      "journeys",
      keys.map((key) => key.replace("\u0000", "/")),
    );
  }

  async due(at: string, limit: number): Promise<JourneyState[]> {
    const until = Date.parse(at);
    return [...this.states.values()]
      .filter((s) => s.status === "waiting" && s.wakeAt !== undefined && Date.parse(s.wakeAt) <= until)
      .sort((a, b) => Date.parse(a.wakeAt!) - Date.parse(b.wakeAt!) || a.journeyId.localeCompare(b.journeyId))
      .slice(0, limit)
      .map((s) => ({ ...s }));
  }
}
