/**
 * Campaign figures: planning throughput over a generated 200,000-row subscriber CSV (next to
 * csv-parse alone reading the same file: the floor any streaming plan sits on), and how closely
 * the pacer holds the configured MPS on the real clock.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAudienceCsv } from "../core/campaign/audience";
import { createPacer } from "../core/campaign/pacer";
import { planCampaign } from "../core/campaign/plan";
import type { Clock } from "../core/ports";
import { type BenchResult, benchResult, bestOfInTurn, csvParseRows, perSecond, seededRandom } from "./lib";

const ROWS = 200_000;
const AREA_CODES = ["212", "310", "312", "206", "305", "404", "512", "617", "702", "808", "800"];
const FIRST_NAMES = ["Ana", "Bo", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Łukasz", "Zoë"];
const PACING_MPS = 200;
const PACING_SECONDS = 3;

function writeSubscribers(path: string): void {
  const random = seededRandom(20261124);
  const lines = ["subscriber_id,phone_number,time_zone,first_name,tier"];
  for (let i = 0; i < ROWS; i++) {
    const area = AREA_CODES[Math.floor(random() * AREA_CODES.length)];
    const line = String(2_000_000 + Math.floor(random() * 7_999_999)).padStart(7, "0");
    const zone = random() < 0.1 ? "Europe/London" : "";
    const name = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)];
    lines.push(`s${i},+1${area}${line},${zone},${name},${random() < 0.3 ? "gold" : "silver"}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

const MILLION = 1_000_000;
/** What `npm run bench` allows the million-row plan's heap to reach. */
const HEAP_BUDGET_MB = 64;

/**
 * A million rows written in chunks (the file is ~45 MB): every 500th number invalid, every 700th a
 * repeat of row 0's, every 900th toll-free (zone unknown). Returns the counts a plan must report.
 */
function writeMillionRows(path: string): {
  invalidNumber: number;
  duplicate: number;
  unknownTimeZone: number;
} {
  const expected = { invalidNumber: 0, duplicate: 0, unknownTimeZone: 0 };
  writeFileSync(path, "subscriber_id,phone_number,time_zone,first_name\n");
  let chunk: string[] = [];
  for (let i = 0; i < MILLION; i++) {
    let phone = `+1${i % 2 === 0 ? "212" : "310"}${String(2_000_000 + i).padStart(7, "0")}`;
    if (i > 0 && i % 500 === 0) {
      phone = "12345";
      expected.invalidNumber++;
    } else if (i > 0 && i % 700 === 0) {
      phone = "+12122000000";
      expected.duplicate++;
    } else if (i > 0 && i % 900 === 0) {
      phone = `+1800${String(2_000_000 + i).padStart(7, "0")}`;
      expected.unknownTimeZone++;
    }
    chunk.push(`s${i},${phone},,Name${i % 97}`);
    if (chunk.length === 50_000) {
      appendFileSync(path, `${chunk.join("\n")}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) appendFileSync(path, `${chunk.join("\n")}\n`);
  return expected;
}

/**
 * Plans the million-row file once in a fresh Node process whose old generation is capped at the
 * budget (so a plan that grows with its input dies there), and returns its peak heap. The child
 * throws if the counts are not the planted ones.
 */
function millionRowPeakHeapMb(dir: string): number {
  const path = join(dir, "million.csv");
  const expected = writeMillionRows(path);
  try {
    const result = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        `--max-old-space-size=${HEAP_BUDGET_MB}`,
        join(import.meta.dirname, "million-row-plan.ts"),
        path,
        JSON.stringify(expected),
      ],
      { encoding: "utf8" },
    );
    const peak = Number(result.stdout.trim());
    if (result.status !== 0 || !Number.isFinite(peak))
      throw new Error(`million-row plan failed (exit ${result.status}): ${result.stderr.slice(-2000)}`);
    return peak;
  } finally {
    rmSync(path, { force: true });
  }
}

export function planFile(path: string) {
  return planCampaign(readAudienceCsv(createReadStream(path)), {
    template: "Hi {{first_name}}, your {{tier}} offer is ready. Reply STOP to opt out.",
    at: new Date("2026-06-15T16:00:00Z"),
    mps: 100,
    isOptedOut: () => false,
  });
}

/** Sends for a few seconds on the wall clock and reports the steady rate (after the first second's allowance). */
async function pacedRate(): Promise<number> {
  const clock: Clock = {
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const pacer = createPacer(PACING_MPS, clock);
  const times: number[] = [];
  for (let i = 0; i < PACING_MPS * PACING_SECONDS; i++) {
    await pacer.acquire();
    times.push(performance.now());
  }
  // The first MPS sends may go at once; every later batch of MPS waits one second.
  const steady = times.slice(PACING_MPS);
  return perSecond(steady.length, times[times.length - 1] - times[PACING_MPS - 1]);
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "campaign-bench-"));
  try {
    const path = join(dir, "subscribers.csv");
    writeSubscribers(path);
    const { parseMs, planMs } = await bestOfInTurn(3, {
      parseMs: () => csvParseRows(path),
      planMs: () => planFile(path),
    });
    const peakHeapMb = millionRowPeakHeapMb(dir);
    const rate = await pacedRate();
    return [
      benchResult(
        "campaign plan throughput (200k-row CSV)",
        perSecond(ROWS, planMs),
        "subscribers/s",
        perSecond(ROWS, parseMs),
        "csv-parse alone",
        { min: 0.3 },
      ),
      benchResult(
        "campaign plan peak heap (1M-row CSV, counts checked)",
        peakHeapMb,
        "MB",
        HEAP_BUDGET_MB,
        "heap budget",
        { max: 1 },
      ),
      benchResult("pacing: achieved rate on the wall clock", rate, "parts/s", PACING_MPS, "configured MPS"),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
