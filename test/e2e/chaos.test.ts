/**
 * Faults while the campaign runs: the AWS stack's run with a fifth of its Kinesis, DynamoDB and
 * S3 calls throttled (ProvisionedThroughputExceededException, 503 SlowDown, answered by an SDK
 * request handler before the emulator sees them) and a fifth of its sends answered 429. The SDKs'
 * retries, the functions' batch retries, the poller's and the engine's must carry it: the run
 * ends with the figures of the same seed run without faults, and sends nothing twice. Then the
 * same seed with DynamoDB Local killed (SIGKILL) halfway through the confirmation and restarted
 * three seconds later on its persisted data: the store clients' outage retry (outage-retry.ts)
 * must carry the functions through, so no batch is discarded and the figures are the calm ones.
 * Last, kinesis-local killed the same way: it comes back from a snapshot up to a second old, the
 * writer puts back what it had acknowledged since, and the readers realign on the shards' content:
 * every event of the calm run archived, nothing sent, notified or delivered to a function twice.
 * And the GCP run with Google's Pub/Sub emulator killed: it restarts empty (no persistence), the
 * topics publish again what was not finished, under the same ids; its figures are the AWS calm
 * run's (the clouds agree on a seed's figures: same-campaign.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLocal } from "../../providers/local/run/local-run";
import { downloadedEvents } from "../support/archive";
import { type CloudRun, comparable } from "../support/comparable-run";
import { RATES } from "../support/seeded-run";

const SEED = 515_151;
const SUBSCRIBERS = 150;
const THROTTLE = 0.2;
const DOWN_SECONDS = 3;

/** Event ids the calm run archived that `run` did not. */
const lostEvents = (calm: CloudRun, run: CloudRun) => {
  const archived = new Set(run.events.map((event) => event.eventId));
  return [...new Set(calm.events.map((event) => event.eventId))].filter((id) => !archived.has(id));
};

/** The calm AWS run, shared with the GCP case (the clouds' figures agree for one seed). */
let calmRun: Promise<CloudRun> | undefined;
const runChaos = async (
  dirs: string[],
  chaos: { throttle?: number; kill?: "dynamodb" | "kinesis" | "pubsub"; down?: number },
  cloud: "aws" | "gcp" = "aws",
): Promise<CloudRun> => {
  const out = mkdtempSync(join(tmpdir(), "chaos-"));
  dirs.push(out);
  const summary = await runLocal({ cloud, subscribers: SUBSCRIBERS, seed: SEED, out, rates: RATES, chaos });
  return { summary, events: await downloadedEvents(join(out, "archive")) };
};

describe(`the AWS run with ${THROTTLE * 100} % of its calls throttled, and with DynamoDB Local or kinesis-local killed mid-campaign`, () => {
  const runs: { calm?: CloudRun; throttled?: CloudRun; crashed?: CloudRun; streamKilled?: CloudRun } = {};
  const dirs: string[] = [];

  const runOnce = (chaos: Parameters<typeof runChaos>[1]) => runChaos(dirs, chaos);

  beforeAll(async () => {
    calmRun ??= runOnce({});
    runs.calm = await calmRun;
    runs.throttled = await runOnce({ throttle: THROTTLE });
    runs.crashed = await runOnce({ kill: "dynamodb", down: DOWN_SECONDS });
    runs.streamKilled = await runOnce({ kill: "kinesis", down: DOWN_SECONDS });
    const { injected } = runs.throttled.summary.chaos;
    console.log(
      `chaos: throttled calls per service (each retried): ${JSON.stringify(injected)}; ` +
        `DynamoDB Local killed ${runs.crashed.summary.chaos.crashes} time(s) for ${DOWN_SECONDS} s; wall ` +
        `${runs.calm.summary.wallSeconds} s calm, ${runs.throttled.summary.wallSeconds} s throttled, ` +
        `${runs.crashed.summary.wallSeconds} s crashed`,
    );
    const killed = runs.streamKilled.summary;
    console.log(
      `chaos: kinesis-local killed ${killed.chaos.crashes} time(s) for ${DOWN_SECONDS} s, recovery ` +
        `${JSON.stringify(killed.chaos.recovery)}; events published ${killed.eventsPublished}, archived ` +
        `${killed.eventsArchived}, lost ${lostEvents(runs.calm, runs.streamKilled).length}; function retries ` +
        `${Object.values(killed.consumers).reduce((sum, stats) => sum + stats.retries, 0)}; duplicate sends ` +
        `${killed.carrier.duplicateSends}, duplicate notifications ` +
        `${killed.notifications.delivered - killed.notifications.distinct}; responses stored ` +
        `${killed.responsesStored} = replies ${killed.repliesReceived}; wall ${killed.wallSeconds} s`,
    );
  }, 900_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const calm = () => runs.calm ?? expect.fail("the calm run did not finish");
  const throttled = () => runs.throttled ?? expect.fail("the throttled run did not finish");
  const crashed = () => runs.crashed ?? expect.fail("the crashed run did not finish");
  const streamKilled = () =>
    runs.streamKilled ?? expect.fail("the run that killed kinesis-local did not finish");

  it("throttles every service it names, and none in the calm run", () => {
    const { injected } = throttled().summary.chaos;
    expect(injected).toBeDefined();
    for (const service of ["kinesis", "dynamodb", "s3", "sender"] as const) {
      expect(injected?.[service], service).toBeGreaterThan(0);
    }
    expect(calm().summary.chaos.injected).toBeUndefined();
  });

  it("keeps every invariant under throttling", () => {
    expect(throttled().summary.invariants.filter((invariant) => !invariant.holds)).toEqual([]);
  });

  /**
   * The journey's retry bookkeeping differs on purpose: a throttled step counts as a failed
   * attempt and is sent again at a later tick, so more ticks are busy; every other figure matches.
   */
  const withoutRetryBookkeeping = (run: CloudRun) => {
    const figures = comparable(run);
    return { ...figures, journey: { ...figures.journey, failed: undefined, busyTicks: undefined } };
  };

  it("ends with the figures of the unfaulted run of the same seed", () => {
    expect(withoutRetryBookkeeping(throttled())).toEqual(withoutRetryBookkeeping(calm()));
  });

  it("retries the throttled journey steps at later ticks, where the calm run failed none", () => {
    expect(calm().summary.journey.failed).toBe(0);
    expect(throttled().summary.journey.failed).toBeGreaterThan(0);
    expect(throttled().summary.journey.busyTicks).toBeGreaterThan(calm().summary.journey.busyTicks);
  });

  it("sends nothing twice: the carrier accepts as many messages as without faults", () => {
    expect(throttled().summary.carrier.accepted).toBe(calm().summary.carrier.accepted);
    expect(throttled().summary.carrier.accepted).toBeGreaterThan(SUBSCRIBERS);
  });

  it("rides out DynamoDB Local killed (SIGKILL) and restarted on its data: the same figures, nothing discarded", () => {
    expect(crashed().summary.chaos.crashes).toBe(1);
    expect(crashed().summary.invariants.filter((invariant) => !invariant.holds)).toEqual([]);
    expect(comparable(crashed())).toEqual(comparable(calm()));
    for (const [name, stats] of Object.entries(crashed().summary.consumers)) {
      expect(stats.deadLetteredBatches, `${name} discarded a batch`).toBe(0);
    }
  });

  it("sends nothing twice and notifies nothing twice when DynamoDB Local crashes", () => {
    expect(crashed().summary.carrier.accepted).toBe(calm().summary.carrier.accepted);
    expect(crashed().summary.notifications.delivered).toBe(crashed().summary.notifications.distinct);
  });

  it("rides out kinesis-local killed (SIGKILL) and restarted from its snapshot: every event archived, the same figures", () => {
    const { summary } = streamKilled();
    expect(summary.chaos.crashes).toBe(1);
    // The snapshot lagged: acknowledged records were put back, and every shard was realigned.
    expect(summary.chaos.recovery?.putBack).toBeGreaterThan(0);
    expect(summary.chaos.recovery?.shardsRealigned).toBe(summary.shards.local);
    expect(summary.invariants.filter((invariant) => !invariant.holds)).toEqual([]);
    expect(lostEvents(calm(), streamKilled())).toEqual([]);
    expect(summary.eventsArchived + summary.deadLettered).toBe(summary.eventsPublished);
    expect(comparable(streamKilled())).toEqual(comparable(calm()));
    for (const [name, stats] of Object.entries(summary.consumers)) {
      expect(stats.deadLetteredBatches, `${name} discarded a batch`).toBe(0);
      // Each function was handed each record once: nothing read twice after the realignment.
      expect(stats.recordsRead, name).toBe(summary.eventsPublished);
    }
  });

  it("sends nothing twice and notifies nothing twice when kinesis-local is killed", () => {
    const { summary } = streamKilled();
    expect(summary.carrier.duplicateSends).toBe(0);
    expect(summary.carrier.accepted).toBe(calm().summary.carrier.accepted);
    expect(summary.notifications.delivered).toBe(summary.notifications.distinct);
    expect(summary.responsesStored).toBe(summary.repliesReceived);
  });
});

describe("the GCP run with Google's Pub/Sub emulator killed mid-campaign", () => {
  const dirs: string[] = [];
  const runs: { calm?: CloudRun; killed?: CloudRun } = {};

  beforeAll(async () => {
    calmRun ??= runChaos(dirs, {});
    runs.calm = await calmRun;
    runs.killed = await runChaos(dirs, { kill: "pubsub", down: DOWN_SECONDS }, "gcp");
    const { summary } = runs.killed;
    console.log(
      `chaos: the Pub/Sub emulator killed ${summary.chaos.crashes} time(s) for ${DOWN_SECONDS} s, recovery ` +
        `${JSON.stringify(summary.chaos.recovery)}; events published ${summary.eventsPublished}, archived ` +
        `${summary.eventsArchived}, dead-lettered ${summary.deadLettered}, lost ${lostKinds(runs.calm, runs.killed)}; ` +
        `duplicate sends ${summary.carrier.duplicateSends}, duplicate notifications ` +
        `${summary.notifications.delivered - summary.notifications.distinct}; responses stored ` +
        `${summary.responsesStored} = replies ${summary.repliesReceived}; wall ${summary.wallSeconds} s`,
    );
  }, 900_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const calm = () => runs.calm ?? expect.fail("the calm run did not finish");
  const killed = () => runs.killed ?? expect.fail("the run that killed the Pub/Sub emulator did not finish");

  /** Distinct event ids the calm run archived beyond the killed run's, per kind (ids differ by cloud). */
  const lostKinds = (reference: CloudRun, run: CloudRun) => {
    const { kinds: expected } = comparable(reference);
    const { kinds: got } = comparable(run);
    return Object.entries(expected).reduce(
      (sum, [kind, count]) => sum + Math.max(0, Number(count) - Number(got[kind] ?? 0)),
      0,
    );
  };

  it("rides out the emulator killed (SIGKILL) and restarted empty: every event archived, the calm run's figures", () => {
    const { summary } = killed();
    expect(summary.chaos.crashes).toBe(1);
    // Messages were lost with the emulator and published again.
    expect(summary.chaos.recovery?.["eventsRepublished"]).toBeGreaterThan(0);
    expect(summary.invariants.filter((invariant) => !invariant.holds)).toEqual([]);
    expect(summary.eventsArchived + summary.deadLettered).toBe(summary.eventsPublished);
    expect(lostKinds(calm(), killed())).toBe(0);
    expect(comparable(killed())).toEqual(comparable(calm()));
    for (const [name, stats] of Object.entries(summary.consumers)) {
      // Each function took each event once: what was finished before the crash did not come back.
      expect(stats.recordsRead, name).toBe(summary.eventsPublished);
      expect(stats.deadLetteredRecords, name).toBe(0);
    }
  });

  it("sends nothing twice and notifies nothing twice when the Pub/Sub emulator is killed", () => {
    const { summary } = killed();
    expect(summary.carrier.duplicateSends).toBe(0);
    expect(summary.carrier.accepted).toBe(calm().summary.carrier.accepted);
    expect(summary.notifications.delivered).toBe(summary.notifications.distinct);
    expect(summary.responsesStored).toBe(summary.repliesReceived);
  });
});
