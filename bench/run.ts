/**
 * `npm run bench` prints a table; `npm run bench -- --json` prints a JSON array of
 * {name, value, unit, baseline, ratio, floor, ok}. `npm run bench -- --check` also exits 1 when a
 * figure's ratio is outside its floor (timings on a shared CI machine are noise: CI does not run
 * this; quote a quiet run). To add a benchmark, write bench/<area>.bench.ts exporting
 * `run(): Promise<BenchResult[]>` and add one line to BENCHES below. Name areas to run only those:
 * `npm run bench -- core`.
 */
import { type BenchResult, floorText, meetsFloor } from "./lib";

/**
 * Each bench file is imported when its turn comes: the local run loads Powertools' Tracer, whose
 * X-Ray SDK installs async hooks that slow every promise after it, which would tax earlier figures.
 */
const BENCHES: { name: string; load: () => Promise<{ run: () => Promise<BenchResult[]> }> }[] = [
  { name: "core", load: () => import("./core.bench") },
  { name: "campaign", load: () => import("./campaign.bench") },
  { name: "replies", load: () => import("./replies.bench") },
  { name: "journeys", load: () => import("./journeys.bench") },
  { name: "aws", load: () => import("./aws.bench") },
  { name: "local", load: () => import("./local.bench") },
  // { name: "<area>", load: () => import("./<area>.bench") },  <- one line per bench file
];

const format = (value: number) =>
  Number.isInteger(value)
    ? value.toLocaleString("en-US")
    : value.toLocaleString("en-US", { maximumSignificantDigits: 4 });

function printTable(results: BenchResult[]): void {
  const rows = [
    ["name", "value", "unit", "baseline", "ratio", "floor", ""],
    ...results.map((r) => [
      r.name,
      format(r.value),
      r.unit,
      `${format(r.baseline)} (${r.baselineName})`,
      r.ratio.toFixed(3),
      floorText(r.floor),
      r.floor === undefined ? "" : meetsFloor(r) ? "ok" : "BELOW FLOOR",
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
  const check = args.includes("--check");
  const only = args.filter((arg) => !arg.startsWith("--"));
  const unknownFlags = args.filter((arg) => arg.startsWith("--") && arg !== "--json" && arg !== "--check");
  if (unknownFlags.length > 0) {
    console.error(`unknown option ${unknownFlags.join(", ")}; use --json, --check and bench names`);
    process.exit(2);
  }
  const unknown = only.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(", ")}; known: ${BENCHES.map((b) => b.name).join(", ")}`);
    process.exit(2);
  }
  const results: BenchResult[] = [];
  for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
    if (!json) console.error(`running ${bench.name} ...`);
    results.push(...(await (await bench.load()).run()));
  }
  if (json) {
    console.log(
      JSON.stringify(
        results.map((result) => {
          const { name, value, unit, baseline, ratio, floor } = result;
          return { name, value, unit, baseline, ratio, floor, ok: meetsFloor(result) };
        }),
        null,
        2,
      ),
    );
  } else {
    printTable(results);
  }
  const below = results.filter((result) => !meetsFloor(result));
  if (check && below.length > 0) {
    console.error(
      `${below.length} figure(s) outside their floor: ${below.map((r) => `${r.name} ${r.ratio.toFixed(3)} (${floorText(r.floor)})`).join("; ")}`,
    );
    process.exit(1);
  }
}

await main();
