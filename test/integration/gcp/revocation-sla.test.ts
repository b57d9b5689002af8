/**
 * The revocation SLA monitor as the GCP ticker function hosts it: the monitor revocationMonitorOf
 * builds from the function's environment, on the Firestore emulator for the clocks, opt-outs,
 * journeys and message log. The breach datum is read from the structured log lines the log-based
 * metric (infra/monitoring.ts) counts.
 */

import { describe, expect, it } from "vitest";
import { REVOCATION_SLA_METRIC } from "../../../core/processing/revocation-sla";
import { createTicker } from "../../../providers/gcp/handlers/ticker";
import { STACK_SCOPE } from "../../../providers/gcp/infra/environment";
import { journeyPortsOf } from "../../../providers/gcp/runtime/journey-ports";
import { FirestoreMessageLog } from "../../../providers/gcp/runtime/message-log";
import { FirestoreRevocationClockStore } from "../../../providers/gcp/runtime/revocation-clocks";
import { revocationMonitorOf } from "../../../providers/gcp/runtime/revocation-monitor";
import { ENV, parseEnv, TickerEnvSchema } from "../../../providers/gcp/runtime/settings";
import { FakeClock } from "../../../providers/local/runtime/memory";
import { SLA_NOON, seedTwoStopsThenPromo } from "../../support/revocation-breach";
import { stdoutDuring } from "../../support/stdout";
import { emulatorsUnavailable, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();

/** Runs `run` with stdout captured (where LogMetricsSink writes), returning the breach lines it wrote. */
async function breachLinesDuring<T>(
  run: () => Promise<T>,
): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const { result, stdout } = await stdoutDuring(run);
  const lines = stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line["metric"] === REVOCATION_SLA_METRIC);
  return { result, lines };
}

describe.skipIf(emulatorsUnavailable)(
  "the revocation SLA monitor in the GCP ticker (Firestore emulator)",
  () => {
    it("judges two STOPs after the window from the function's environment: one met, one breached by a send after it, in the alert's log-based metric", async () => {
      const env = parseEnv(TickerEnvSchema, {
        [ENV.deadLetterTopic]: uniqueName("dlq"),
        [ENV.journeysCollection]: uniqueName("journeys"),
        [ENV.subscribersCollection]: uniqueName("subscribers"),
        [ENV.campaignsCollection]: uniqueName("campaigns"),
        [ENV.optOutsCollection]: uniqueName("opt-outs"),
        [ENV.optOutReviewsCollection]: uniqueName("opt-out-reviews"),
        [ENV.sendLedgerCollection]: uniqueName("ledger"),
        [ENV.eventsTopic]: uniqueName("events"),
        // As infra/pipeline.ts sets them on the ticker: the monitor runs after each tick.
        [ENV.revocationClocksCollection]: uniqueName("revocation-clocks"),
        [ENV.messageLogCollection]: uniqueName("message-log"),
        [ENV.revocationSlaMinutes]: "5",
      });
      const firestore = fixture.firestore();
      const clock = new FakeClock(SLA_NOON);
      const ports = journeyPortsOf(env, { firestore, pubsub: fixture.pubsub() }, clock);

      // Two STOPs at noon, each suppressed and confirmed a second later; Ben then gets a promo.
      const clocks = new FirestoreRevocationClockStore(firestore, env[ENV.revocationClocksCollection]!);
      const messages = new FirestoreMessageLog(firestore, env[ENV.messageLogCollection]!);
      await seedTwoStopsThenPromo({ clocks, optOuts: ports.optOuts, messages }, [
        "+12125550191",
        "+12125550192",
      ]);

      const monitor = revocationMonitorOf(env, firestore, ports);
      expect(monitor?.settings).toEqual({ windowMinutes: 5 });
      const tick = createTicker({
        ports: { ...ports, sender: { send: async () => ({ messageId: "unused" }) } as never },
        settings: { mps: 50, intervalSeconds: 0.06 },
        definitions: [],
        log: () => {},
        ...(monitor ? { revocationMonitor: monitor } : {}),
      });

      clock.advance(4 * 60_000);
      const early = await breachLinesDuring(tick);
      expect(early.result.revocations).toMatchObject({ judged: 0 });
      expect(early.lines).toEqual([]);

      clock.advance(2 * 60_000);
      const due = await breachLinesDuring(tick);
      expect(due.result.revocations).toEqual({
        judged: 2,
        met: 1,
        breached: 1,
        breaches: [{ eventId: "sla-stop-ben", failed: ["no_send_after"] }],
      });
      // The stack-scoped line the alert policy's log-based metric counts.
      expect(due.lines).toContainEqual(expect.objectContaining({ scope: STACK_SCOPE, value: 1 }));
      expect((await clocks.list()).map((c) => [c.eventId, c.verdict?.status])).toEqual([
        ["sla-stop-ana", "met"],
        ["sla-stop-ben", "breached"],
      ]);

      clock.advance(60_000);
      expect((await tick()).revocations).toMatchObject({ judged: 0 });
    }, 120_000);
  },
);
