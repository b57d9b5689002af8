/**
 * `--chaos kill=kinesis`: kinesis-local SIGKILLed mid-campaign and restarted, and the stream made
 * whole again before anyone writes or reads it:
 * 1. the outage begins: the writer holds new requests, readers hold their reads;
 * 2. the emulator dies; the request in flight fails and will be put again (StreamOutage);
 * 3. after the down time it restarts from a snapshot taken before the kill (stale-snapshot.ts),
 *    re-created when the snapshot predates the stream;
 * 4. the acknowledged records the snapshot lacks are put back from the writer's journal, in order;
 * 5. the outage ends: readers realign each shard on its content (fan-out-source.ts), writes resume.
 */
import type { ShardRecord, ShardSource } from "../poller/types";
import type { CoalescingPublisher } from "../run/coalescing-publisher";
import type { StaleSnapshot } from "./stale-snapshot";
import type { StreamJournal } from "./stream-journal";
import type { StreamOutage } from "./stream-outage";

export interface StreamCrashDeps {
  outage: StreamOutage;
  writer: CoalescingPublisher;
  journal: StreamJournal;
  /** SIGKILL, run `whileDown` once dead, wait, restart on the snapshot (emulators' crashKinesis). */
  crash(whileDown: () => Promise<void>): Promise<void>;
  /** Creates the stream again, as deployed, if the restarted emulator does not have it. */
  ensureStream(): Promise<void>;
  /** Reads the restarted stream (throttling retried). */
  source: ShardSource;
  /** The older snapshot the emulator restarts from, put back while it is down. */
  staleSnapshot?: StaleSnapshot;
}

export interface StreamRecovery {
  /** Records the restarted stream held from its snapshot. */
  fromSnapshot: number;
  /** Acknowledged records it had lost, put back from the writer's journal. */
  putBack: number;
}

/** Every record of every shard, from the trim horizon to the tip. */
export async function readWholeStream(source: ShardSource): Promise<ShardRecord[]> {
  const records: ShardRecord[] = [];
  for (const shardId of await source.listShards()) {
    let cursor = await source.open(shardId, { type: "TRIM_HORIZON" });
    for (;;) {
      const read = await source.read(shardId, cursor, 10_000);
      cursor = read.cursor;
      records.push(...read.records);
      if (read.records.length === 0) break;
    }
  }
  return records;
}

/** How long the kill waits for a write the kept snapshot cannot hold, before it goes ahead anyway. */
const LOSS_WAIT_MS = 30_000;

export async function crashStream(deps: StreamCrashDeps, lossWaitMs = LOSS_WAIT_MS): Promise<StreamRecovery> {
  const { staleSnapshot } = deps;
  if (staleSnapshot?.armed) await deps.journal.acknowledgedAfter(staleSnapshot.keptAt, lossWaitMs);
  deps.outage.begin();
  try {
    await deps.crash(async () => {
      await Promise.all([deps.writer.quiet(), staleSnapshot?.restore()]);
    });
    await deps.ensureStream();
    const present = await readWholeStream(deps.source);
    const missing = deps.journal.missingFrom(present);
    await deps.writer.putBack(missing);
    return { fromSnapshot: present.length, putBack: missing.length };
  } finally {
    deps.outage.end();
  }
}
