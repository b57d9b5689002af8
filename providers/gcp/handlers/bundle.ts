import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEsmSync } from "../../esm-bundle";

/**
 * Installed by Cloud Build from the package's package.json rather than bundled: the Functions
 * Framework must be the very module the runtime starts (the targets register in its registry),
 * and the Google clients load their gRPC protos from files next to their code.
 */
export const RUNTIME_DEPENDENCIES = [
  "@google-cloud/functions-framework",
  "@google-cloud/firestore",
  "@google-cloud/pubsub",
  "@google-cloud/storage",
  "twilio",
] as const;

/** The size budget of the minified bundle (our code, core, zod with its locales ~450 KB, libphonenumber, Parquet writer). */
export const BUNDLE_BUDGET_BYTES = 800 * 1024;

const handlersDir = dirname(fileURLToPath(import.meta.url));
const rootPackageJson = join(handlersDir, "..", "..", "..", "package.json");

/** The entry (./index.ts, registering every target) as one minified ESM file. */
export const bundleFunctionsSync = (): { code: string; bytes: number } => {
  return bundleEsmSync({
    entry: { file: join(handlersDir, "index.ts") },
    external: [...RUNTIME_DEPENDENCIES],
  });
};

/** The package.json Cloud Build installs: ESM, Node 22, the runtime dependencies at the project's versions. */
export const functionPackageJson = (): string => {
  const { dependencies } = JSON.parse(readFileSync(rootPackageJson, "utf8")) as {
    dependencies: Record<string, string>;
  };
  const pinned = Object.fromEntries(RUNTIME_DEPENDENCIES.map((name) => [name, dependencies[name]]));
  return `${JSON.stringify(
    {
      name: "sms-campaigns-gcp-functions",
      private: true,
      type: "module",
      main: "index.js",
      engines: { node: "22" },
      dependencies: pinned,
    },
    null,
    2,
  )}\n`;
};

/** Every file of the functions' source archive (the same for all four; the entry point picks the target). */
export const functionSourceFiles = (): Record<string, string> => ({
  "index.js": bundleFunctionsSync().code,
  "package.json": functionPackageJson(),
});
