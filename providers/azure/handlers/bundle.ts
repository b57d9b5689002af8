import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEsmSync } from "../../esm-bundle";
import { type AppName, CAMPAIGNS_APP, HANDLER_NAMES, type HandlerName } from "../infra/handlerNames";

export { type AppName, HANDLER_NAMES, type HandlerName };

/** Provided by the Functions Node worker at run time; everything else (the Azure SDKs) is bundled. */
export const EXTERNAL_PACKAGES = ["@azure/functions-core"];

const handlersDir = dirname(fileURLToPath(import.meta.url));

/** The entry of one app: registers that app's functions only, so the bundle holds only their code. */
export const entryOf = (name: AppName): string =>
  name === CAMPAIGNS_APP
    ? `import { registerCampaigns } from "./functions";
import { handler as ticker } from "./ticker";
import { handler as enrollment } from "./enrollment";
registerCampaigns(async () => ({ ticker, enrollment }));`
    : `import { registerConsumer } from "./functions";
import { handler } from "./${name}";
registerConsumer(${JSON.stringify(name)}, async () => handler);`;

/** One app as a single minified ESM file (package.json `main`). */
export const bundleFunctionSync = (name: AppName): { code: string; bytes: number } => {
  return bundleEsmSync({
    entry: { contents: entryOf(name), resolveDir: handlersDir, sourcefile: `${name}-entry.ts` },
    external: EXTERNAL_PACKAGES,
  });
};

/**
 * host.json of every app. The Event Hubs batch settings here are defaults: the stack's config
 * overrides them per app through `AzureFunctionsJobHost__extensions__eventHubs__*` app settings.
 */
export const HOST_JSON = {
  version: "2.0",
  extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" },
  logging: {
    logLevel: { default: "Information" },
    applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: "Request" } },
  },
  extensions: {
    eventHubs: {
      maxEventBatchSize: 100,
      batchCheckpointFrequency: 1,
      initialOffsetOptions: { type: "fromStart" },
    },
    // Enrollment (campaigns app): a chunk may read for minutes, so its message lock is renewed.
    serviceBus: { autoCompleteMessages: true, maxConcurrentCalls: 4, maxAutoLockRenewalDuration: "00:10:00" },
  },
} as const;

/** The files of one app's package, by path: bundle, package.json (ESM, main) and host.json. */
export const functionPackageFiles = (name: AppName): Record<string, string> => ({
  "index.mjs": bundleFunctionSync(name).code,
  "package.json": JSON.stringify(
    { name: `sms-${name}`, type: "module", main: "index.mjs", private: true },
    null,
    2,
  ),
  "host.json": JSON.stringify(HOST_JSON, null, 2),
});
