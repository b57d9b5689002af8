import type { FaultInjector } from "../chaos/fault-injector";
import { createEmulatorClients, type EmulatorClients } from "./clients";
import { javaAvailable, startDynamodbLocal } from "./dynamodb";
import { EmulatorError } from "./errors";
import { startFauxqs } from "./fauxqs";
import { type KinesisPersistence, type RunningEmulator, startKinesisLocal } from "./kinesis";

export { createEmulatorClients, type EmulatorClients } from "./clients";
export { javaAvailable } from "./dynamodb";
export { EmulatorError } from "./errors";

export interface EmulatorOptions {
  kinesis?: boolean;
  dynamodb?: boolean;
  fauxqs?: boolean;
  /** Fixed ports (default: a free port each); a taken port fails with an EmulatorError naming it. */
  ports?: { kinesis?: number; dynamodb?: number; fauxqs?: number };
  /** A directory where DynamoDB Local keeps its data (default: in memory), so it survives a kill. */
  persistDir?: string;
  /** Where and how often kinesis-local snapshots its streams (default: in memory only). */
  kinesisPersistence?: KinesisPersistence;
  log?: (line: string) => void;
}

export interface EmulatorEndpoints {
  kinesis?: string;
  dynamodb?: string;
  s3?: string;
  sns?: string;
  sqs?: string;
}

/** Which DynamoDB answers: AWS's DynamoDB Local (needs Java) or none. */
export type DynamodbEngine = "dynamodb-local" | "none";

export interface RunningEmulators {
  endpoints: EmulatorEndpoints;
  dynamodbEngine: DynamodbEngine;
  /** Why DynamoDB is "none" when it was asked for, e.g. "Java is not installed". */
  dynamodbUnavailableReason?: string;
  /** SDK clients pointed at the endpoints (region us-east-1, fake credentials, path-style S3), throttled by `faults` when given. */
  clients(faults?: FaultInjector): EmulatorClients;
  /**
   * Kills DynamoDB Local outright (SIGKILL to its process group), waits `downMs`, and starts it
   * again on the same port and data: a crash and recovery, for chaos runs.
   */
  crashDynamodb(downMs: number): Promise<void>;
  /**
   * SIGKILLs kinesis-local; `whileDown` runs once it is dead, then after `downMs` it starts again
   * on the same port from its last snapshot (what it acknowledged since is lost; see kinesis.ts).
   */
  crashKinesis(downMs: number, whileDown?: () => Promise<void>): Promise<void>;
  /** Stops every emulator by process group. Idempotent. */
  stop(): Promise<void>;
}

const JAVA_MISSING =
  "Java is not installed (DynamoDB Local is a Java program); install a JRE, e.g. `apt-get install default-jre-headless`";

/**
 * Starts the requested emulators (default: all three) on 127.0.0.1, each in its own process group.
 * If one fails to start, the ones already running are stopped before the error is thrown.
 */
export const startEmulators = async (options: EmulatorOptions = {}): Promise<RunningEmulators> => {
  const wants = {
    kinesis: options.kinesis ?? true,
    dynamodb: options.dynamodb ?? true,
    fauxqs: options.fauxqs ?? true,
  };
  const canRunDynamodb = wants.dynamodb && javaAvailable();
  if (wants.dynamodb && !canRunDynamodb) options.log?.(`[dynamodb-local] not started: ${JAVA_MISSING}`);

  const starts = {
    kinesis: wants.kinesis
      ? startKinesisLocal({
          port: options.ports?.kinesis,
          persistence: options.kinesisPersistence,
          log: options.log,
        })
      : undefined,
    dynamodb: canRunDynamodb
      ? startDynamodbLocal({ port: options.ports?.dynamodb, dbPath: options.persistDir, log: options.log })
      : undefined,
    fauxqs: wants.fauxqs ? startFauxqs({ port: options.ports?.fauxqs, log: options.log }) : undefined,
  };
  const settled = await Promise.allSettled(Object.values(starts).filter((s) => s !== undefined));
  const running = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= Promise.all(running.map((r: RunningEmulator) => r.process.stop())).then(() => undefined);
    return stopping;
  };
  /** SIGKILL to `name`'s process group, `downMs` of outage, then `restart` on the same port. */
  const crash = async (
    name: string,
    downMs: number,
    restart: (port: number) => Promise<RunningEmulator>,
    whileDown?: () => Promise<void>,
  ) => {
    const current = running.find((r) => r.process.name === name);
    if (!current) throw new EmulatorError(`${name} is not running: nothing to crash`);
    await current.process.kill();
    await Promise.all([whileDown?.(), new Promise((resolve) => setTimeout(resolve, downMs))]);
    const restarted = await restart(Number(new URL(current.endpoint).port));
    running.splice(running.indexOf(current), 1, restarted);
  };
  const crashDynamodb = async (downMs: number) => {
    if (!options.persistDir)
      throw new EmulatorError("dynamodb-local keeps no data to recover: start it with persistDir");
    const dbPath = options.persistDir;
    await crash("dynamodb-local", downMs, (port) => startDynamodbLocal({ port, dbPath, log: options.log }));
  };
  const crashKinesis = async (downMs: number, whileDown?: () => Promise<void>) => {
    if (!options.kinesisPersistence)
      throw new EmulatorError("kinesis-local keeps no data to recover: start it with kinesisPersistence");
    const persistence = options.kinesisPersistence;
    await crash(
      "kinesis-local",
      downMs,
      (port) => startKinesisLocal({ port, persistence, log: options.log }),
      whileDown,
    );
  };
  if (failures.length > 0) {
    await stop();
    const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
    throw new EmulatorError(messages.join("\n"));
  }

  const [kinesis, dynamodb, fauxqs] = await Promise.all([starts.kinesis, starts.dynamodb, starts.fauxqs]);
  const endpoints: EmulatorEndpoints = {
    ...(kinesis ? { kinesis: kinesis.endpoint } : {}),
    ...(dynamodb ? { dynamodb: dynamodb.endpoint } : {}),
    ...(fauxqs ? { s3: fauxqs.endpoint, sns: fauxqs.endpoint, sqs: fauxqs.endpoint } : {}),
  };
  return {
    endpoints,
    dynamodbEngine: dynamodb ? "dynamodb-local" : "none",
    ...(wants.dynamodb && !dynamodb ? { dynamodbUnavailableReason: JAVA_MISSING } : {}),
    clients: (faults) => createEmulatorClients(endpoints, faults),
    crashDynamodb,
    crashKinesis,
    stop,
  };
};
