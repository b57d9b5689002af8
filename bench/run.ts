/**
 * `npm run bench` prints a table; `npm run bench -- --json` prints a JSON array of
 * {name, value, unit, baseline, ratio}. To add a benchmark, write bench/<area>.bench.ts exporting
 * `run(): Promise<BenchResult[]>` and add one line to BENCHES below. Name areas to run only those:
 * `npm run bench -- core`.
 */
import * as aws from "./aws.bench";
import * as campaign from "./campaign.bench";
import * as core from "./core.bench";
import * as journeys from "./journeys.bench";
import type { BenchResult } from "./lib";
import * as local from "./local.bench";
import * as replies from "./replies.bench";

const BENCHES: { name: string; run: () => Promise<BenchResult[]> }[] = [
  { name: "core", run: core.run },
  { name: "campaign", run: campaign.run },
  { name: "replies", run: replies.run },
  { name: "journeys", run: journeys.run },
  { name: "aws", run: aws.run },
  { name: "local", run: local.run },
  // { name: "<area>", run: <area>.run },  <- one line per bench file
];

const format = (value: number) =>
  Number.isInteger(value)
    ? value.toLocaleString("en-US")
    : value.toLocaleString("en-US", { maximumSignificantDigits: 4 });

function printTable(results: BenchResult[]): void {
  const rows = [
    ["name", "value", "unit", "baseline", "ratio"],
    ...results.map((r) => [
      r.name,
      format(r.value),
      r.unit,
      `${format(r.baseline)} (${r.baselineName})`,
      r.ratio.toFixed(3),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const [i, row] of rows.entries()) {
    console.log(
      row
        .map((cell, column) =>
          column === 1 || column === 4 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
        )
        .join("  "),
    );
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const only = args.filter((arg) => !arg.startsWith("--"));
  const unknown = only.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(", ")}; known: ${BENCHES.map((b) => b.name).join(", ")}`);
    process.exit(2);
  }
  const results: BenchResult[] = [];
  for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
    if (!json) console.error(`running ${bench.name} ...`);
    results.push(...(await bench.run()));
  }
  if (json) {
    console.log(
      JSON.stringify(
        results.map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio })),
        null,
        2,
      ),
    );
  } else {
    printTable(results);
  }
}

await main();
