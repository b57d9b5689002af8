import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { RunningEmulator } from "./kinesis";
import { LOOPBACK, portFor } from "./ports";
import { answersHttp, spawnDetached, waitUntilReady } from "./process-group";
import { packageDir } from "./resolve";

/** fauxqs: S3, SNS and SQS behind one endpoint, in its own Node process (its CLI forces request logging). */
export const startFauxqs = async (options: {
  port?: number;
  log?: (line: string) => void;
}): Promise<RunningEmulator> => {
  const port = await portFor(options.port, "fauxqs");
  const app = pathToFileURL(join(packageDir("fauxqs"), "dist", "app.js")).href;
  const script = `import { startFauxqs } from ${JSON.stringify(app)};
await startFauxqs({ port: ${port}, logger: false, defaultRegion: "us-east-1" });`;
  const child = spawnDetached(
    "fauxqs",
    process.execPath,
    ["--disable-warning=ExperimentalWarning", "--input-type=module", "-e", script],
    {
      log: options.log,
    },
  );
  const endpoint = `http://${LOOPBACK}:${port}`;
  await waitUntilReady(child, () => answersHttp(`${endpoint}/health`), 30_000);
  return { endpoint, process: child };
};
