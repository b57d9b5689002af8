import { redactValue } from "../../../core/redact";

/** One structured log entry: Cloud Logging reads `severity` and `message` from a JSON line. */
export type LogEntry = Record<string, unknown>;
export type StructuredLog = (entry: LogEntry) => void;

const STDERR_SEVERITIES = new Set(["ERROR", "CRITICAL", "ALERT", "EMERGENCY"]);

/** A JSON line on stdout, or stderr from ERROR up, as Cloud Run functions hand them to Cloud Logging. */
export const writeJsonLine: StructuredLog = (entry) => {
  const line = JSON.stringify(entry);
  if (STDERR_SEVERITIES.has(String(entry["severity"]))) console.error(line);
  else console.log(line);
};

/**
 * The function's log: every string of every entry redacted (core/redact.ts) before it is written,
 * whoever writes it (the default JSON line, or a test's recorder).
 */
export const redactedLog =
  (write: StructuredLog = writeJsonLine): StructuredLog =>
  (entry) =>
    write(redactValue(entry) as LogEntry);
