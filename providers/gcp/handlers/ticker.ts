import type { Request, Response } from "@google-cloud/functions-framework";
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
import { ENV, type TickerEnv } from "../runtime/settings";
import { redactedLog, type StructuredLog } from "./structured-log";

export interface TickerHandlerDeps {
  ports: CampaignTickerPorts;
  settings: TickerSettings;
  /** The code's journeys; default journeys/index.ts. Launched campaigns come from the store. */
  definitions?: Journey[];
  /** Where log entries go, already redacted; default a JSON line for Cloud Logging. */
  log?: StructuredLog;
  /** Judges the opt-outs whose SLA window has passed, after every tick; none when absent. */
  revocationMonitor?: RevocationMonitor;
}

export type TickerReport = CampaignTickReport & { revocations?: RevocationMonitorReport };

/** The ticker's send policy from the function environment (stack config, validated at deploy). */
export const tickerSettingsOf = (env: TickerEnv): TickerSettings => ({
  mps: env[ENV.tickMps],
  intervalSeconds: env[ENV.tickIntervalSeconds],
  ...(env[ENV.tickBudgetUsd] === undefined ? {} : { budgetUsd: env[ENV.tickBudgetUsd] }),
  policy: { window: { startHour: env[ENV.sendWindowStartHour], endHour: env[ENV.sendWindowEndHour] } },
});

/**
 * One scheduled tick over the code's journeys and every launched campaign, against the stack's
 * own stores, with each send published to the events topic. The function runs as one instance
 * with concurrency 1 (maxInstanceCount 1), so ticks never overlap and the MPS holds stack-wide.
 */
export const createTicker = (deps: TickerHandlerDeps): (() => Promise<TickerReport>) => {
  const log = redactedLog(deps.log);
  return async () => {
    const report = await withRevocationMonitor(
      () => runCampaignTick(deps.definitions ?? journeyDefinitions, deps.ports, deps.settings, "twilio"),
      deps.revocationMonitor,
    );
    log({ severity: "INFO", message: "journey tick", ...report });
    return report;
  };
};

/**
 * Cloud Scheduler's HTTP target (OIDC-authenticated; the function is private): POST runs one
 * tick, 200 with its report; a failure answers 500, so the scheduler retries within its bounded
 * retry config. A lost tick costs nothing: due journeys stay due for the next.
 */
export const createTickerHttpHandler = (tick: () => Promise<CampaignTickReport>, write?: StructuredLog) => {
  const log = redactedLog(write);
  return async (req: Request, res: Response): Promise<void> => {
    if (req.method !== "POST") {
      res.status(405).set("Allow", "POST").send("POST only");
      return;
    }
    try {
      res.status(200).json(await tick());
    } catch (error) {
      log({
        severity: "ERROR",
        message: "journey tick failed",
        error: error instanceof Error ? error.message : String(error),
      });
      res.status(500).send("tick failed; the scheduler retries");
    }
  };
};
