/**
 * Campaign figures: planning throughput over a generated 200,000-row subscriber CSV (next to
 * csv-parse alone reading the same file: the floor any streaming plan sits on), and how closely
 * the pacer holds the configured MPS on the real clock.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAudienceCsv } from "../core/campaign/audience";
import { createPacer } from "../core/campaign/pacer";
import { planCampaign } from "../core/campaign/plan";
import type { Clock } from "../core/ports";
import { type BenchResult, benchResult, bestOf, csvParseRows, perSecond, seededRandom } from "./lib";

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

function planFile(path: string) {
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
    const parseMs = await bestOf(2, () => csvParseRows(path));
    const planMs = await bestOf(2, () => planFile(path));
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
      benchResult("pacing: achieved rate on the wall clock", rate, "parts/s", PACING_MPS, "configured MPS"),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
