import type { Journey } from "../../../core/campaign/journey";
import {
  type CampaignTickerPorts,
  type CampaignTickReport,
  runCampaignTick,
  type TickerSettings,
} from "../../../core/campaign/ticker";
import { journeyDefinitions } from "../../../journeys";
import { campaignPortsOf, tickerSettingsOf } from "../runtime/campaign-ports";
import { CampaignsEnvSchema, parseEnv } from "../runtime/settings";
import { type HandlerLog, lazyHandler } from "./consumer-handler";
import { redactedLog } from "./redacted-log";

export interface TickerHandlerDeps {
  ports: CampaignTickerPorts;
  settings: TickerSettings;
  /** The code's journeys (default: journeys/index.ts); launched campaigns come from the store. */
  definitions?: Journey[];
}

/** What the timer trigger passes (`Timer` of @azure/functions): only whether the tick is late. */
export type TimerInfo = { isPastDue?: boolean } | undefined;

/**
 * One scheduled tick over the code's journeys and every launched campaign, sending at most MPS
 * times the interval. Only one tick runs at a time stack-wide: the timer trigger is a singleton
 * across the app's instances (see functions.ts), so the MPS holds without a lease of our own.
 */
export const createTickerHandler =
  (deps: TickerHandlerDeps) =>
  async (timer: TimerInfo, invocation: Pick<HandlerLog, "log">): Promise<CampaignTickReport> => {
    const context = redactedLog(invocation);
    const report = await runCampaignTick(
      deps.definitions ?? journeyDefinitions,
      deps.ports,
      deps.settings,
      "azure-acs",
    );
    context.log("campaign tick", { ...report, isPastDue: timer?.isPastDue === true });
    return report;
  };

/** Functions entry: ports and settings from the app settings, built at first invocation. */
export const handler = lazyHandler(() => {
  const env = parseEnv(CampaignsEnvSchema);
  return createTickerHandler({ ports: campaignPortsOf(env), settings: tickerSettingsOf(env) });
});
