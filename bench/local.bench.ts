/**
 * The embedded default end to end: events per second through emulators, campaign engine, carrier,
 * poller and the three AWS handlers for a 2,000-subscriber run, next to what kinesis-local alone
 * sustains for the same number of records (PutRecords then GetRecords over the same shard count).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  PutRecordsCommand,
} from "@aws-sdk/client-kinesis";
import { startEmulators } from "../providers/local/emulators";
import { KinesisShardSource } from "../providers/local/poller/kinesis-source";
import { runLocal } from "../providers/local/run/local-run";
import { type BenchResult, benchResult, perSecond } from "./lib";

const SUBSCRIBERS = 2_000;
const RECORD_BYTES = 600;

/** Raw kinesis-local: put `count` records in PutRecords batches of 500, then read every shard to the end. */
async function rawStreamMs(count: number, shards: number): Promise<number> {
  const emulators = await startEmulators({ dynamodb: false, fauxqs: false });
  try {
    const { kinesis } = emulators.clients();
    await kinesis.send(new CreateStreamCommand({ StreamName: "bench", ShardCount: shards }));
    while (
      (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: "bench" }))).StreamDescriptionSummary
        ?.StreamStatus !== "ACTIVE"
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const data = new Uint8Array(RECORD_BYTES).fill(120);
    const started = performance.now();
    for (let offset = 0; offset < count; offset += 500) {
      const size = Math.min(500, count - offset);
      await kinesis.send(
        new PutRecordsCommand({
          StreamName: "bench",
          Records: Array.from({ length: size }, (_, index) => ({
            Data: data,
            PartitionKey: `sub-${offset + index}`,
          })),
        }),
      );
    }
    const source = new KinesisShardSource(
      kinesis,
      "bench",
      "arn:aws:kinesis:us-east-1:000000000000:stream/bench",
    );
    let read = 0;
    for (const shard of await source.listShards()) {
      let cursor = await source.open(shard, { type: "TRIM_HORIZON" });
      for (;;) {
        const page = await source.read(shard, cursor, 10_000);
        cursor = page.cursor;
        read += page.records.length;
        if (page.records.length === 0) break;
      }
    }
    if (read !== count) throw new Error(`read ${read} of ${count} records`);
    return performance.now() - started;
  } finally {
    await emulators.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), "sms-local-bench-"));
  try {
    const summary = await runLocal({ subscribers: SUBSCRIBERS, seed: 1, out });
    // Emulator start-up and read-back are fixed costs; the figure is the streaming part.
    const streamingSeconds = (summary.phaseSeconds.campaign ?? 0) + (summary.phaseSeconds.stream ?? 0);
    const endToEnd = summary.eventsPublished / streamingSeconds;
    const raw = perSecond(
      summary.eventsPublished,
      await rawStreamMs(summary.eventsPublished, summary.shards.local),
    );
    return [
      benchResult(
        `local run, ${SUBSCRIBERS} subscribers, events through 3 handlers`,
        endToEnd,
        "events/s",
        raw,
        "kinesis-local PutRecords+GetRecords alone",
        { min: 0.45 },
      ),
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
