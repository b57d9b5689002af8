import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * One append-only JSON-lines file: the local stores' durable log. Each append is written
 * synchronously before the call returns, so a crash loses at most the line being written, and a line
 * torn by that crash is skipped on reload.
 */
export class JsonlFile<T> {
  private readonly fd: number;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a");
  }

  /** Every whole line written so far, oldest first. */
  static read<T>(path: string): T[] {
    if (!existsSync(path)) return [];
    const lines: T[] = [];
    for (const raw of readFileSync(path, "utf8").split("\n")) {
      if (raw.trim() === "") continue;
      try {
        lines.push(JSON.parse(raw) as T);
      } catch {
        // A line torn by a crash mid-write: the state it described was never acknowledged.
      }
    }
    return lines;
  }

  append(line: T): void {
    appendFileSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}
