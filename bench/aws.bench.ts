/**
 * AWS handler bundles: minified size against the 300 KB budget, and cold import time of each
 * bundle in a fresh Node process against an empty handler module imported the same way.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  BUNDLE_BUDGET_BYTES,
  bundleHandlerSync,
  HANDLER_NAMES,
  writeHandlerBundle,
} from "../providers/aws/handlers/bundle";
import { STREAM_HANDLER_NAMES } from "../providers/aws/infra/functionNames";
import { type BenchResult, benchResult } from "./lib";

const IMPORT_RUNS = 5;
/** Issue 12: importing a stream consumer's bundle costs at most this many empty-module imports. */
const COLD_IMPORT_FLOOR = { max: 25 };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Milliseconds to import `file` in a fresh Node process (process start-up excluded). */
const coldImportMs = (file: string): number => {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  const ms = Number(result.stdout.trim());
  if (result.status !== 0 || !Number.isFinite(ms))
    throw new Error(`import of ${file} failed: ${result.stderr}`);
  return ms;
};

const medianImportMs = (file: string) =>
  median(Array.from({ length: IMPORT_RUNS }, () => coldImportMs(file)));

export async function run(): Promise<BenchResult[]> {
  // Under the repository, so the bundles' @aws-sdk/* imports resolve as in the Lambda runtime.
  const dir = mkdtempSync(join(process.cwd(), "node_modules", ".cache-aws-bench-"));
  try {
    const empty = join(dir, "empty.mjs");
    writeFileSync(empty, "export const handler = async () => ({ batchItemFailures: [] });\n");
    const emptyMs = medianImportMs(empty);
    const results: BenchResult[] = [];
    for (const name of HANDLER_NAMES) {
      const { bytes } = bundleHandlerSync(name);
      results.push(
        benchResult(`aws ${name} bundle size`, bytes / 1024, "KB", BUNDLE_BUDGET_BYTES / 1024, "budget", {
          max: 1,
        }),
      );
      const file = writeHandlerBundle(name, dir);
      results.push(
        benchResult(
          `aws ${name} cold import`,
          medianImportMs(file),
          "ms",
          emptyMs,
          "empty handler module",
          (STREAM_HANDLER_NAMES as readonly string[]).includes(name) ? COLD_IMPORT_FLOOR : undefined,
        ),
      );
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
