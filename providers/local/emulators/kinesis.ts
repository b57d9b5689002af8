import { join } from "node:path";
import { freePort, LOOPBACK, portFor } from "./ports";
import { answersHttp, type DetachedProcess, spawnDetached, waitUntilReady } from "./process-group";
import { packageDir } from "./resolve";

export interface RunningEmulator {
  endpoint: string;
  process: DetachedProcess;
}

/**
 * kinesis-local keeps its streams in memory and, with persistence on, writes all of them to
 * `<dir>/kinesis-data.json` every `intervalMs` (loaded again at start-up). A SIGKILL loses what
 * was written since the last of those snapshots: the chaos run puts that gap back (see
 * chaos/stream-journal.ts).
 */
export interface KinesisPersistence {
  dir: string;
  intervalMs: number;
}

/** The file kinesis-local writes its snapshot to (PERSIST_FILE_NAME's default) under `dir`. */
export const kinesisSnapshotFile = (dir: string): string => join(dir, "kinesis-data.json");

/** kinesis-local (kinesis-mock compiled to JS): plain HTTP on `port`, its TLS listener on a spare port. */
export const startKinesisLocal = async (options: {
  port?: number;
  persistence?: KinesisPersistence;
  log?: (line: string) => void;
}): Promise<RunningEmulator> => {
  const port = await portFor(options.port, "kinesis-local");
  const tlsPort = await freePort();
  const dir = packageDir("kinesis-local");
  const { persistence } = options;
  const child = spawnDetached("kinesis-local", process.execPath, [join(dir, "main.js")], {
    cwd: dir,
    log: options.log,
    env: {
      PATH: process.env["PATH"],
      KINESIS_MOCK_PLAIN_PORT: String(port),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      KINESIS_MOCK_CERT_PATH: join(dir, "server.json"),
      AWS_REGION: "us-east-1",
      LOG_LEVEL: "WARN",
      // Streams become ACTIVE quickly, so tests do not wait half a second per stream.
      CREATE_STREAM_DURATION: "50ms",
      DELETE_STREAM_DURATION: "50ms",
      ...(persistence
        ? {
            SHOULD_PERSIST_DATA: "true",
            LOAD_DATA_IF_EXISTS: "true",
            PERSIST_PATH: persistence.dir,
            PERSIST_INTERVAL: `${persistence.intervalMs}ms`,
          }
        : {}),
    },
  });
  const endpoint = `http://${LOOPBACK}:${port}`;
  await waitUntilReady(child, () => answersHttp(endpoint), 60_000);
  return { endpoint, process: child };
};
