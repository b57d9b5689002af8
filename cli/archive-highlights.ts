/**
 * What `npm start` prints after its dashboard: two of queries/*.sql answered by DuckDB over the
 * run's archive, the same answers `smsctl query --file` gives. Never fails the run: a DuckDB
 * problem becomes one line saying why.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatTable, oneLineError, runQuery } from "./commands/query";

const QUERIES_DIR = join(import.meta.dirname, "..", "queries");

/** The two a marketer asks first after a campaign. */
export const HIGHLIGHT_QUERIES = [
  { title: "Response rate by campaign", file: "response-rate-by-campaign.sql" },
  { title: "Cost per campaign", file: "cost-per-campaign.sql" },
] as const;

export async function archiveHighlights(archiveDir: string): Promise<string> {
  const sections = ["", "SQL over the archive (DuckDB; smsctl query --file queries/<file>):"];
  try {
    for (const { title, file } of HIGHLIGHT_QUERIES) {
      const result = await runQuery(readFileSync(join(QUERIES_DIR, file), "utf8"), { dir: archiveDir });
      sections.push("", `${title} (queries/${file})`, formatTable(result).trimEnd());
    }
  } catch (error) {
    return `${sections.join("\n")}\nskipped: ${oneLineError(error)}\n`;
  }
  return `${sections.join("\n")}\n`;
}
