import type { JourneyState, JourneyStore } from "../../../core/ports";
import { JsonlFile } from "./jsonl-file";
import { MemoryJourneyStore } from "./memory/journeys";

/**
 * A JourneyStore in one append-only JSON-lines file, for `smsctl journey` on one machine: every
 * accepted write appends the whole new state, and reopening replays the file (the last line of a
 * journey wins). Queries and the optimistic version check are the in-memory store's.
 */
export class JsonlJourneyStore implements JourneyStore {
  private readonly memory = new MemoryJourneyStore();
  private readonly file: JsonlFile<JourneyState>;

  private constructor(readonly path: string) {
    this.file = new JsonlFile(path);
  }

  static async open(path: string): Promise<JsonlJourneyStore> {
    const states = JsonlFile.read<JourneyState>(path);
    const store = new JsonlJourneyStore(path);
    for (const state of states) {
      const stored = await store.memory.get(state.journeyId, state.subscriberId);
      await store.memory.put(state, stored?.version ?? 0);
    }
    return store;
  }

  get(journeyId: string, subscriberId: string): Promise<JourneyState | undefined> {
    return this.memory.get(journeyId, subscriberId);
  }

  async put(state: JourneyState, expectedVersion: number): Promise<boolean> {
    if (!(await this.memory.put(state, expectedVersion))) return false;
    this.file.append(state);
    return true;
  }

  bySubscriber(subscriberId: string): Promise<JourneyState[]> {
    return this.memory.bySubscriber(subscriberId);
  }

  due(at: string, limit: number): Promise<JourneyState[]> {
    return this.memory.due(at, limit);
  }

  close(): void {
    this.file.close();
  }
}
