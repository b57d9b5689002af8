import type { ScheduledHandler } from "aws-lambda";
import type { Journey } from "../../../core/campaign/journey";
import {
  createTickerEngine,
  runJourneyTick,
  type TickerPorts,
  type TickerSettings,
  type TickReport,
} from "../../../core/campaign/ticker";
import { journeyDefinitions } from "../../../journeys";
import { createAwsPorts } from "../runtime/aws-ports";
import { parseEnv, TICKER_ENV, TickerEnvSchema } from "../runtime/settings";
import { type Observability, observabilityFromEnv } from "./observability";

export interface TickerHandlerDeps {
  ports: TickerPorts;
  settings: TickerSettings;
  definitions?: Journey[];
  observability?: Observability;
}

/**
 * One scheduled tick over the stack's own stores: the journeys, opt-outs and ledger in DynamoDB,
 * `queued` events into Kinesis (so the message log and analytics hear of every send). Reserved
 * concurrency 1 keeps one tick at a time, so the MPS holds across invocations.
 */
export const createTickerHandler = (deps: TickerHandlerDeps): (() => Promise<TickReport>) => {
  const engine = createTickerEngine(
    deps.definitions ?? journeyDefinitions,
    deps.ports,
    deps.settings,
    "aws-eum",
  );
  return async () => {
    const report = await runJourneyTick(engine, deps.ports, deps.settings);
    deps.observability?.logger.info("journey tick", { ...report });
    return report;
  };
};

let built: (() => Promise<TickReport>) | undefined;

/** Lambda entry point (EventBridge Scheduler target); a bad environment fails the invocation, naming the variable. */
export const handler: ScheduledHandler = async () => {
  if (!built) {
    const env = parseEnv(TickerEnvSchema);
    built = createTickerHandler({
      ports: createAwsPorts(process.env, {}),
      settings: { mps: env[TICKER_ENV.tickMps], intervalSeconds: env[TICKER_ENV.tickIntervalSeconds] },
      observability: observabilityFromEnv("ticker", env),
    });
  }
  await built();
};
