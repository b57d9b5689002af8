import { describe, expect, it } from "vitest";
import { REVOCATION_SLA_METRIC } from "../../../core/processing/revocation-sla";
import { createTickerHandler } from "../../../providers/azure/handlers/ticker";
import { campaignPortsOf } from "../../../providers/azure/runtime/campaign-ports";
import type { ContainerId } from "../../../providers/azure/runtime/containers";
import { CosmosMessageLog } from "../../../providers/azure/runtime/message-log";
import { fromEnvelope } from "../../../providers/azure/runtime/metrics-sink";
import { CosmosRevocationClockStore } from "../../../providers/azure/runtime/revocation-clocks";
import { revocationMonitorOf } from "../../../providers/azure/runtime/revocation-monitor";
import { CampaignsEnvSchema, ENV, parseEnv } from "../../../providers/azure/runtime/settings";
import { FakeClock } from "../../../providers/local/runtime/memory/clock";
import { MemorySmsSender } from "../../../providers/local/runtime/memory/sender";
import {
  type CampaignsAppContainers,
  campaignsAppSettings,
  freshContainer,
  useAzureEmulators,
} from "../../emulators/azure";
import { SLA_NOON, seedTwoStopsThenPromo } from "../../support/revocation-breach";
import { fakeIngestion, fakeProducer, fakeSender } from "../../unit/azure/fakes";

const silent = { log: () => {} };

const azure = useAzureEmulators("audience");

const container = async (id: ContainerId) => (await freshContainer(azure, id)).id;

describe("the revocation SLA monitor in the Azure ticker (cosmosdb-server)", () => {
  it("judges two STOPs after the window from the app settings: one met, one breached by a send after it, in the alert's metric", async () => {
    const ids = ["journeys", "subscribers", "ledger", "optOuts", "optOutReviews", "campaigns"] as const;
    const names = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await container(id)])));
    const clocksContainer = await container("revocations");
    const messagesContainer = await container("messages");
    const env = parseEnv(
      CampaignsEnvSchema,
      campaignsAppSettings(azure, names as CampaignsAppContainers, {
        // As infra/pipeline.ts sets them on the campaigns app: the monitor runs after each tick.
        [ENV.revocationClocksContainer]: clocksContainer,
        [ENV.messageLogContainer]: messagesContainer,
        [ENV.revocationSlaMinutes]: "5",
      }),
    );
    const cosmos = (name: string) => azure.database().container(name);
    const ingestion = fakeIngestion();
    const clock = new FakeClock(SLA_NOON);
    const {
      audience: _audience,
      enrollmentQueue: _queue,
      ...ports
    } = campaignPortsOf(env, {
      clients: {
        cosmos,
        serviceBus: { createSender: () => fakeSender().sender } as never,
        eventHub: fakeProducer().producer,
        metricsTransport: ingestion.transport,
      },
      clock,
      sender: new MemorySmsSender(),
    });

    // Two STOPs at noon, each suppressed and confirmed a second later; Ben then gets a promo.
    const clocks = new CosmosRevocationClockStore(cosmos(clocksContainer));
    const messages = new CosmosMessageLog(cosmos(messagesContainer));
    await seedTwoStopsThenPromo({ clocks, optOuts: ports.optOuts, messages }, [
      "+12125550181",
      "+12125550182",
    ]);

    const monitor = revocationMonitorOf(env, () => ({}) as never, ports, cosmos);
    expect(monitor?.settings).toEqual({ windowMinutes: 5 });
    const tick = createTickerHandler({
      ports,
      settings: { mps: 50, intervalSeconds: 0.06 },
      definitions: [],
      ...(monitor ? { revocationMonitor: monitor } : {}),
    });
    const breachDatums = () =>
      ingestion.posted
        .flatMap((request) =>
          (JSON.parse(request.body) as Parameters<typeof fromEnvelope>[0][]).flatMap(fromEnvelope),
        )
        .filter((datum) => datum.name === REVOCATION_SLA_METRIC);

    clock.advance(4 * 60_000);
    expect((await tick(undefined, silent)).revocations).toMatchObject({ judged: 0 });
    expect(breachDatums()).toEqual([]);

    clock.advance(2 * 60_000);
    expect((await tick(undefined, silent)).revocations).toEqual({
      judged: 2,
      met: 1,
      breached: 1,
      breaches: [{ eventId: "sla-stop-ben", failed: ["no_send_after"] }],
    });
    // The stack-wide datum (no dimensions beyond the unit) the Azure alert watches.
    expect(breachDatums()).toEqual([expect.objectContaining({ value: 1, dimensions: {} })]);
    expect((await clocks.list()).map((c) => [c.eventId, c.verdict?.status])).toEqual([
      ["sla-stop-ana", "met"],
      ["sla-stop-ben", "breached"],
    ]);

    clock.advance(60_000);
    expect((await tick(undefined, silent)).revocations).toMatchObject({ judged: 0 });
  }, 90_000);
});
