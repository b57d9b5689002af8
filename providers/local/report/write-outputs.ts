import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderReportHtml } from "./html";
import type { RunSummary } from "./run-summary";

export interface WrittenOutputs {
  summaryJson: string;
  reportHtml: string;
}

/** summary.json and report.html into `dir` (the archive/ folder is written during the run). */
export async function writeRunOutputs(summary: RunSummary, dir: string): Promise<WrittenOutputs> {
  await mkdir(dir, { recursive: true });
  const outputs = { summaryJson: join(dir, "summary.json"), reportHtml: join(dir, "report.html") };
  await writeFile(outputs.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(outputs.reportHtml, renderReportHtml(summary));
  return outputs;
}
