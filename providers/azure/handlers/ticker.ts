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
import { journeyDefinitions } from "../../../journeys";
import { campaignPortsOf, tickerSettingsOf } from "../runtime/campaign-ports";
import { lazyCredential } from "../runtime/clients";
import { revocationMonitorOf } from "../runtime/revocation-monitor";
import { CampaignsEnvSchema, parseEnv } from "../runtime/settings";
import { type HandlerLog, lazyHandler } from "./consumer-handler";
import { redactedLog } from "./redacted-log";

export interface TickerHandlerDeps {
  ports: CampaignTickerPorts;
  settings: TickerSettings;
  /** The code's journeys (default: journeys/index.ts); launched campaigns come from the store. */
  definitions?: Journey[];
  /** Judges the opt-outs whose SLA window has passed, after every tick; none when absent. */
  revocationMonitor?: RevocationMonitor;
}

export type TickerReport = CampaignTickReport & { revocations?: RevocationMonitorReport };

/** What the timer trigger passes (`Timer` of @azure/functions): only whether the tick is late. */
export type TimerInfo = { isPastDue?: boolean } | undefined;

/**
 * One scheduled tick over the code's journeys and every launched campaign, sending at most MPS
 * times the interval. Only one tick runs at a time stack-wide: the timer trigger is a singleton
 * across the app's instances (see functions.ts), so the MPS holds without a lease of our own.
 */
export const createTickerHandler =
  (deps: TickerHandlerDeps) =>
  async (timer: TimerInfo, invocation: Pick<HandlerLog, "log">): Promise<TickerReport> => {
    const context = redactedLog(invocation);
    const report = await withRevocationMonitor(
      () => runCampaignTick(deps.definitions ?? journeyDefinitions, deps.ports, deps.settings, "azure-acs"),
      deps.revocationMonitor,
    );
    context.log("campaign tick", { ...report, isPastDue: timer?.isPastDue === true });
    return report;
  };

/** Functions entry: ports and settings from the app settings, built at first invocation. */
export const handler = lazyHandler(() => {
  const env = parseEnv(CampaignsEnvSchema);
  const ports = campaignPortsOf(env);
  const revocationMonitor = revocationMonitorOf(env, lazyCredential(env), ports);
  return createTickerHandler({
    ports,
    settings: tickerSettingsOf(env),
    ...(revocationMonitor ? { revocationMonitor } : {}),
  });
});
