import type {
  RevocationClock,
  RevocationClockStart,
  RevocationClockStore,
  RevocationVerdict,
} from "../../../core/ports";
import { JsonlFile } from "./jsonl-file";
import { MemoryRevocationClockStore } from "./memory/revocations";

type ClockLine =
  | { op: "start"; clock: RevocationClockStart }
  | { op: "confirm"; eventId: string; confirmedAt: string; messageId?: string }
  | { op: "settle"; eventId: string; verdict: RevocationVerdict };

/**
 * Revocation SLA clocks in one append-only JSON-lines file in the CLI's state directory, so an
 * opt-out given to `smsctl journey reply` is judged by a later `smsctl compliance report`. Rules
 * are the in-memory store's; only calls that change something are written.
 */
export class JsonlRevocationClockStore implements RevocationClockStore {
  private readonly memory = new MemoryRevocationClockStore();
  private readonly file: JsonlFile<ClockLine>;

  private constructor(readonly path: string) {
    this.file = new JsonlFile(path);
  }

  static async open(path: string): Promise<JsonlRevocationClockStore> {
    const store = new JsonlRevocationClockStore(path);
    for (const line of JsonlFile.read<ClockLine>(path)) {
      if (line.op === "start") await store.memory.start(line.clock);
      else if (line.op === "confirm")
        await store.memory.confirm(line.eventId, line.confirmedAt, line.messageId);
      else await store.memory.settle(line.eventId, line.verdict);
    }
    return store;
  }

  async start(clock: RevocationClockStart): Promise<"created" | "exists"> {
    const result = await this.memory.start(clock);
    if (result === "created") this.file.append({ op: "start", clock });
    return result;
  }

  async confirm(eventId: string, confirmedAt: string, messageId?: string): Promise<void> {
    const before = (await this.memory.list()).find((clock) => clock.eventId === eventId);
    await this.memory.confirm(eventId, confirmedAt, messageId);
    if (before && before.confirmedAt === undefined) {
      this.file.append({
        op: "confirm",
        eventId,
        confirmedAt,
        ...(messageId === undefined ? {} : { messageId }),
      });
    }
  }

  due(optedOutBefore: string, limit: number): Promise<RevocationClock[]> {
    return this.memory.due(optedOutBefore, limit);
  }

  async settle(eventId: string, verdict: RevocationVerdict): Promise<boolean> {
    const settled = await this.memory.settle(eventId, verdict);
    if (settled) this.file.append({ op: "settle", eventId, verdict });
    return settled;
  }

  list(): Promise<RevocationClock[]> {
    return this.memory.list();
  }

  close(): void {
    this.file.close();
  }
}
