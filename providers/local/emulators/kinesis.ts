import { join } from "node:path";
import { freePort, LOOPBACK, portFor } from "./ports";
import { answersHttp, type DetachedProcess, spawnDetached, waitUntilReady } from "./process-group";
import { packageDir } from "./resolve";

export interface RunningEmulator {
  endpoint: string;
  process: DetachedProcess;
}

/** kinesis-local (kinesis-mock compiled to JS): plain HTTP on `port`, its TLS listener on a spare port. */
export const startKinesisLocal = async (options: {
  port?: number;
  log?: (line: string) => void;
}): Promise<RunningEmulator> => {
  const port = await portFor(options.port, "kinesis-local");
  const tlsPort = await freePort();
  const dir = packageDir("kinesis-local");
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
    },
  });
  const endpoint = `http://${LOOPBACK}:${port}`;
  await waitUntilReady(child, () => answersHttp(endpoint), 60_000);
  return { endpoint, process: child };
};
