/**
 * Local emulators for the Azure adapters, started like the AWS ones (providers/local/emulators):
 * each in its own process group on a free port on 127.0.0.1, stopped by group.
 * - Blob Storage: Azurite (`azurite-blob`, in memory);
 * - Cosmos DB: @vercel/cosmosdb-server, a reimplementation (no RU throttling, no OFFSET…LIMIT),
 *   serving HTTPS with its own self-signed certificate: clients pass `insecureAgent` (this
 *   process keeps verifying every other certificate).
 * Event Hubs and Service Bus have no emulator without Docker.
 */
import { Agent } from "node:https";
import { join } from "node:path";
import type { RunningEmulator } from "../../local/emulators/kinesis";
import { LOOPBACK, portFor } from "../../local/emulators/ports";
import { answersHttp, spawnDetached, waitUntilReady } from "../../local/emulators/process-group";
import { packageDir } from "../../local/emulators/resolve";

/** Azurite's well-known development account (public, documented; not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface RunningAzurite extends RunningEmulator {
  connectionString: string;
}

export const startAzuriteBlob = async (
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<RunningAzurite> => {
  const port = await portFor(options.port, "azurite-blob");
  const main = join(packageDir("azurite"), "dist", "src", "blob", "main.js");
  const child = spawnDetached(
    "azurite-blob",
    process.execPath,
    [
      main,
      "--blobHost",
      LOOPBACK,
      "--blobPort",
      String(port),
      "--inMemoryPersistence",
      "--skipApiVersionCheck",
      "--loose",
      "--silent",
    ],
    { log: options.log },
  );
  const endpoint = `http://${LOOPBACK}:${port}/${AZURITE_ACCOUNT}`;
  await waitUntilReady(child, () => answersHttp(endpoint), 30_000);
  return {
    endpoint,
    process: child,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};`,
  };
};

/** For the Cosmos DB emulator's self-signed certificate only. */
export const insecureAgent = new Agent({ rejectUnauthorized: false });

export const startCosmosServer = async (
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<RunningEmulator> => {
  const port = await portFor(options.port, "cosmosdb-server");
  const cli = join(packageDir("@vercel/cosmosdb-server"), "lib", "cli.js");
  const child = spawnDetached(
    "cosmosdb-server",
    process.execPath,
    [cli, "-p", String(port), "--host", LOOPBACK],
    {
      log: options.log,
    },
  );
  const endpoint = `https://${LOOPBACK}:${port}`;
  const probe = async () => {
    const { request } = await import("node:https");
    return new Promise<boolean>((resolve) => {
      const req = request(endpoint, { agent: insecureAgent, timeout: 1_000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on("error", () => resolve(false));
      req.end();
    });
  };
  await waitUntilReady(child, probe, 30_000);
  return { endpoint, process: child };
};
