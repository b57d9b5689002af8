import type { ScheduledHandler } from "aws-lambda";
import type { Journey } from "../../../core/campaign/journey";
import {
  type CampaignTickerPorts,
  type CampaignTickReport,
  runCampaignTick,
  type TickerSettings,
} from "../../../core/campaign/ticker";
import {
  type RevocationMonitor,
  type RevocationMonitorReport,
  withRevocationMonitor,
} from "../../../core/processing/revocation-sla";
import { withRedactedErrors } from "../../../core/redact";
import { journeyDefinitions } from "../../../journeys";
import { campaignPortsOf } from "../runtime/campaign-ports";
import { revocationMonitorOf } from "../runtime/revocation-monitor";
import { parseEnv, TICKER_ENV, type TickerEnv, TickerEnvSchema } from "../runtime/settings";
import { type Observability, observabilityFromEnv } from "./observability";

export interface TickerHandlerDeps {
  ports: CampaignTickerPorts;
  settings: TickerSettings;
  /** The code's journeys; default: journeys/index.ts. Launched campaigns come from the store. */
  definitions?: Journey[];
  observability?: Observability;
  /** Judges the opt-outs whose SLA window has passed, after every tick; none when absent. */
  revocationMonitor?: RevocationMonitor;
}

export type TickerHandlerReport = CampaignTickReport & { revocations?: RevocationMonitorReport };

/** The tick's pacing, budget and quiet hours from the function environment. */
export const tickerSettingsOf = (env: TickerEnv): TickerSettings => {
  const budgetUsd = env[TICKER_ENV.tickBudgetUsd];
  return {
    mps: env[TICKER_ENV.tickMps],
    intervalSeconds: env[TICKER_ENV.tickIntervalSeconds],
    ...(budgetUsd === undefined ? {} : { budgetUsd }),
    policy: {
      window: {
        startHour: env[TICKER_ENV.sendWindowStartHour],
        endHour: env[TICKER_ENV.sendWindowEndHour],
      },
    },
  };
};

/**
 * One scheduled tick over the stack's own stores: the code's journeys and every launched campaign
 * (journeys, opt-outs, ledger and campaigns in DynamoDB, `queued` events into Kinesis, so the
 * message log and analytics hear of every send). Reserved concurrency 1 keeps one tick at a time,
 * so the MPS holds across invocations.
 */
export const createTickerHandler =
  (deps: TickerHandlerDeps): (() => Promise<TickerHandlerReport>) =>
  async () => {
    const report = await withRevocationMonitor(
      () => runCampaignTick(deps.definitions ?? journeyDefinitions, deps.ports, deps.settings, "aws-eum"),
      deps.revocationMonitor,
    );
    deps.observability?.logger.info("journey tick", { ...report });
    return report;
  };

let built: (() => Promise<TickerHandlerReport>) | undefined;

/** Lambda entry point (EventBridge Scheduler target); a bad environment fails the invocation, naming the variable. */
export const handler: ScheduledHandler = withRedactedErrors(async () => {
  if (!built) {
    const env = parseEnv(TickerEnvSchema);
    const ports = campaignPortsOf(env);
    const revocationMonitor = revocationMonitorOf(env, ports);
    built = createTickerHandler({
      ports,
      ...(revocationMonitor ? { revocationMonitor } : {}),
      settings: tickerSettingsOf(env),
      observability: observabilityFromEnv("ticker", env),
    });
  }
  await built();
});
