import type { DeadLetter, DeadLetterEntry } from "../../../../core/ports";

export class MemoryDeadLetter implements DeadLetter {
  readonly entries: DeadLetterEntry[] = [];

  async send(entry: DeadLetterEntry): Promise<void> {
    // Copy the bytes: the caller may reuse its buffer, and the entry must stay exactly as received.
    this.entries.push({ ...entry, raw: entry.raw.slice() });
  }
}
