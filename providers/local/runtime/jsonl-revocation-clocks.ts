import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type {
  ErasedItems,
  ErasureSubject,
  RevocationClock,
  RevocationClockStart,
  RevocationClockStore,
  RevocationVerdict,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { lineConcerns } from "./jsonl-erasure";
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
const eventIdOf = (line: ClockLine): string => (line.op === "start" ? line.clock.eventId : line.eventId);

/**
 * Rewrites the clocks file without the subject's clocks: each start line naming the number or one
 * of its subscriber ids, with every later line of the same clock (confirmations and verdicts carry
 * only its event id), and any other line naming the number. Through a temporary file and a rename,
 * so a crash leaves the old file or the new one; lines that do not parse are kept. Returns the
 * erased clocks' event ids.
 */
export function eraseClockLines(path: string, subject: ErasureSubject): string[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((raw) => raw.trim() !== "")
    .map((raw) => {
      try {
        return { raw, line: JSON.parse(raw) as ClockLine };
      } catch {
        return { raw, line: undefined };
      }
    });
  const erased = new Set<string>();
  for (const { line } of lines) {
    if (line?.op === "start" && lineConcerns(line.clock, subject)) erased.add(line.clock.eventId);
  }
  const kept = lines.filter(
    ({ line }) => line === undefined || !(erased.has(eventIdOf(line)) || lineConcerns(line, subject)),
  );
  if (kept.length < lines.length) {
    const temporary = `${path}.erasing`;
    writeFileSync(temporary, kept.map(({ raw }) => `${raw}\n`).join(""));
    renameSync(temporary, path);
  }
  return [...erased];
}

/** Erases a subject's clocks from the state directory's file, its writers closed (`smsctl erase`). */
export class JsonlRevocationClocksEraser implements SubscriberEraser {
  constructor(private readonly path: string) {}

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    return erasedItems("revocation-clocks", eraseClockLines(this.path, subject));
  }
}

export class JsonlRevocationClockStore implements RevocationClockStore, SubscriberEraser {
  private readonly memory = new MemoryRevocationClockStore();
  private file: JsonlFile<ClockLine>;

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

  /** The subject's clocks, from memory and from the file (rewritten, then appended to afresh). */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const removed = await this.memory.erase(subject);
    this.file.close();
    try {
      eraseClockLines(this.path, subject);
    } finally {
      this.file = new JsonlFile(this.path);
    }
    return removed;
  }

  close(): void {
    this.file.close();
  }
}
