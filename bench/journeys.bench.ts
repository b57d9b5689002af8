/**
 * Journey figures: the ticker's send rate on the wall clock next to the MPS it is configured for,
 * and audience enrollment throughput next to csv-parse alone reading the same file.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAudienceCsv } from "../core/campaign/audience";
import { enrollChunk } from "../core/campaign/enrollment";
import { journey } from "../core/campaign/journey";
import { createTickerEngine, runCampaignTick } from "../core/campaign/ticker";
import type { SendRequest, SendResult, SmsSender } from "../core/ports";
import { createMemoryPorts, SystemClock } from "../providers/local/runtime/memory";
import { type BenchResult, benchResult, bestOf, csvParseRows, perSecond } from "./lib";

const TICK_MPS = 200;
const TICK_SECONDS = 3;
const ENROLL_ROWS = 50_000;

/** Stamps each accepted send, so the rate is measured where the pacer releases it. */
class StampingSender implements SmsSender {
  readonly times: number[] = [];
  async send(request: SendRequest): Promise<SendResult> {
    this.times.push(performance.now());
    return { status: "sent", messageId: `m-${request.idempotencyKey}` };
  }
}

/** One tick over TICK_MPS × TICK_SECONDS due journeys; the steady rate after the first second's burst. */
async function tickRate(): Promise<number> {
  const ports = createMemoryPorts({ now: "2026-06-16T16:00:00.000Z" });
  const clock = new SystemClock();
  const sender = new StampingSender();
  const oneStep = journey("bench-tick").send("only", "Your code is ready.");
  const due = TICK_MPS * TICK_SECONDS;
  for (let i = 0; i < due; i++) {
    const subscriber = { subscriberId: `s${i}`, phoneNumber: `+1212555${String(1000 + i)}`, attributes: {} };
    await ports.subscribers.upsert({ ...subscriber, timeZone: "UTC" });
    await ports.journeys.put(
      {
        journeyId: "bench-tick",
        subscriberId: subscriber.subscriberId,
        phoneNumber: subscriber.phoneNumber,
        stepId: "only",
        status: "waiting",
        wakeAt: "2000-01-01T00:00:00.000Z",
        version: 1,
        updatedAt: "2000-01-01T00:00:00.000Z",
      },
      0,
    );
  }
  // Noon UTC plus the wall time elapsed: real pacing, and every send inside the sending window.
  const startedAt = Date.now();
  const noon = {
    now: () => new Date(Date.parse("2026-06-16T12:00:00.000Z") + Date.now() - startedAt),
    sleep: (ms: number) => clock.sleep(ms),
  };
  const settings = { mps: TICK_MPS, intervalSeconds: TICK_SECONDS };
  await runCampaignTick([oneStep], { ...ports, clock: noon, sender }, settings, "local");
  const steady = sender.times.slice(TICK_MPS);
  return perSecond(steady.length, sender.times[sender.times.length - 1] - sender.times[TICK_MPS - 1]);
}

function writeAudience(path: string): void {
  const lines = ["subscriber_id,phone_number,time_zone,first_name"];
  for (let i = 0; i < ENROLL_ROWS; i++)
    lines.push(`s${i},+1212${String(2_000_000 + i)},America/New_York,N${i % 97}`);
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/** Enrollment only: the journey waits first, so no send is in the figure. */
async function enrollFile(path: string): Promise<void> {
  const ports = createMemoryPorts();
  const later = journey("bench-enroll").wait("1d").send("hello", "Hello {{first_name}}");
  const engine = createTickerEngine([later], ports, { mps: 100, intervalSeconds: 60 }, "local");
  await enrollChunk(
    readAudienceCsv(createReadStream(path)),
    { journeyId: "bench-enroll", source: path },
    {
      engine,
      journeys: ports.journeys,
      subscribers: ports.subscribers,
      deadLetter: ports.deadLetter,
      now: () => ports.clock.now(),
    },
  );
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "journeys-bench-"));
  try {
    const path = join(dir, "audience.csv");
    writeAudience(path);
    const parseMs = await bestOf(2, () => csvParseRows(path));
    const enrollMs = await bestOf(2, () => enrollFile(path));
    return [
      benchResult(
        "journey tick: sends/s on the wall clock",
        await tickRate(),
        "parts/s",
        TICK_MPS,
        "configured MPS",
      ),
      benchResult(
        `enrollment (${ENROLL_ROWS / 1000}k-row CSV, memory stores)`,
        perSecond(ENROLL_ROWS, enrollMs),
        "subscribers/s",
        perSecond(ENROLL_ROWS, parseMs),
        "csv-parse alone",
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
