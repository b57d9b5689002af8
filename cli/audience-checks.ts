/** Checks of a subscriber CSV shared by the campaign commands: placeholders, bad rows, whole-file errors. */
import { createReadStream } from "node:fs";
import {
  AudienceError,
  type RowIssue,
  readAudienceHeader,
  templateFieldsOf,
  unknownPlaceholders,
} from "../core/campaign";
import { fail } from "./args";

/** Rows reported one by one on stderr before the rest are summarized. */
const MAX_ISSUE_LINES = 1000;

/** A placeholder that is no column of the audience (a typo) would send an empty gap to everyone. */
export async function requireKnownPlaceholders(template: string, subscribersPath: string): Promise<void> {
  const header = await orFail(readAudienceHeader(createReadStream(subscribersPath)));
  if (header.length === 0) return; // the audience reader reports the empty file
  const fields = templateFieldsOf(header);
  const unknown = unknownPlaceholders(template, fields);
  if (unknown.length === 0) return;
  const named = unknown.map((name) => `{{${name}}}`).join(", ");
  fail(
    `the message uses ${named}, which ${unknown.length === 1 ? "is not a column" : "are not columns"} of ${subscribersPath}. Use one of: ${fields.join(", ")}`,
  );
}

/** Prints bad rows to stderr by line number; after MAX_ISSUE_LINES, only counts them. */
export function issueReporter(path: string) {
  let reported = 0;
  return {
    report(issue: RowIssue) {
      reported++;
      if (reported <= MAX_ISSUE_LINES)
        process.stderr.write(`smsctl: ${path} line ${issue.line}: ${issue.kind}: ${issue.reason}\n`);
    },
    finish() {
      if (reported > MAX_ISSUE_LINES) {
        process.stderr.write(
          `smsctl: ${path}: ${reported - MAX_ISSUE_LINES} more rows skipped (counted in the JSON)\n`,
        );
      }
    },
  };
}

/** AudienceError (a missing column) is the one failure of the whole file: one line, exit 2. */
export async function orFail<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AudienceError || (error as NodeJS.ErrnoException).code !== undefined) {
      fail((error as Error).message);
    }
    throw error;
  }
}
