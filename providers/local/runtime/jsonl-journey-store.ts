import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { JourneyState, JourneyStore } from "../../../core/ports";
import { MemoryJourneyStore } from "./memory/journeys";

/**
 * A JourneyStore in one append-only JSON-lines file, for `smsctl journey` on one machine: every
 * accepted write appends the whole new state, and reopening replays the file (the last line of a
 * journey wins). Queries and the optimistic version check are the in-memory store's.
 */
export class JsonlJourneyStore implements JourneyStore {
  private readonly memory = new MemoryJourneyStore();
  private fd: number;

  private constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a");
  }

  static async open(path: string): Promise<JsonlJourneyStore> {
    const store = new JsonlJourneyStore(path);
    if (existsSync(path)) await store.load(readFileSync(path, "utf8"));
    return store;
  }

  get(journeyId: string, subscriberId: string): Promise<JourneyState | undefined> {
    return this.memory.get(journeyId, subscriberId);
  }

  async put(state: JourneyState, expectedVersion: number): Promise<boolean> {
    if (!(await this.memory.put(state, expectedVersion))) return false;
    appendFileSync(this.fd, `${JSON.stringify(state)}\n`);
    return true;
  }

  bySubscriber(subscriberId: string): Promise<JourneyState[]> {
    return this.memory.bySubscriber(subscriberId);
  }

  due(at: string, limit: number): Promise<JourneyState[]> {
    return this.memory.due(at, limit);
  }

  close(): void {
    closeSync(this.fd);
  }

  private async load(text: string): Promise<void> {
    for (const raw of text.split("\n")) {
      if (raw.trim() === "") continue;
      let state: JourneyState;
      try {
        state = JSON.parse(raw) as JourneyState;
      } catch {
        continue; // A line torn by a crash mid-write: the journey keeps its previous state.
      }
      const stored = await this.memory.get(state.journeyId, state.subscriberId);
      await this.memory.put(state, stored?.version ?? 0);
    }
  }
}
