import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { ErasedItems, ErasureSubject, SubscriberEraser } from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";

const SUBSCRIBER_ID_FIELDS = new Set(["subscriberId", "subscriber_id"]);

/** The number inside a longer string (local event ids embed it: cli-reply-+12125550101-...), not a longer number. */
const containsNumber = (value: string, phone: string): boolean => {
  for (let at = value.indexOf(phone); at >= 0; at = value.indexOf(phone, at + 1)) {
    if (!/\d/.test(value.charAt(at + phone.length))) return true;
  }
  return false;
};

/**
 * True when any string in the line holds the number, or any subscriber id field is one of the
 * subject's (ids compared whole: a short id would match inside unrelated keys).
 */
export function lineConcerns(value: unknown, subject: ErasureSubject, field?: string): boolean {
  if (typeof value === "string") {
    return (
      containsNumber(value, subject.phoneNumber) ||
      (field !== undefined && SUBSCRIBER_ID_FIELDS.has(field) && subject.subscriberIds.includes(value))
    );
  }
  if (Array.isArray(value)) return value.some((item) => lineConcerns(item, subject, field));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([key, item]) => lineConcerns(item, subject, key));
  }
  return false;
}

/**
 * Erases a subject from one of the local state's JSON-lines files: the file is rewritten without
 * every line that names the number or one of the subject's subscriber ids (a whole line: state,
 * opt-out, review or consent entry), through a temporary file and a rename, so a crash leaves the
 * old file or the new one. Lines that do not parse are kept as they are. The file's writers must
 * be closed (smsctl commands open and close them per command).
 */
export class JsonlLinesEraser implements SubscriberEraser {
  constructor(
    private readonly path: string,
    private readonly store: string,
    /** The key a removed line is reported by. */
    private readonly keyOf: (line: Record<string, unknown>, index: number) => string = (_, index) =>
      `line ${index + 1}`,
  ) {}

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    if (!existsSync(this.path)) return erasedItems(this.store, []);
    const kept: string[] = [];
    const removed: string[] = [];
    readFileSync(this.path, "utf8")
      .split("\n")
      .forEach((raw, index) => {
        if (raw.trim() === "") return;
        let line: unknown;
        try {
          line = JSON.parse(raw);
        } catch {
          kept.push(raw);
          return;
        }
        if (lineConcerns(line, subject)) removed.push(this.keyOf(line as Record<string, unknown>, index));
        else kept.push(raw);
      });
    if (removed.length > 0) {
      const temporary = `${this.path}.erasing`;
      writeFileSync(temporary, kept.map((raw) => `${raw}\n`).join(""));
      renameSync(temporary, this.path);
    }
    return erasedItems(this.store, [...new Set(removed)]);
  }
}
