import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEsmSync } from "../../esm-bundle";

import type { HandlerName } from "../infra/functionNames";

export { HANDLER_NAMES, type HandlerName } from "../infra/functionNames";

/** The size budget of one minified handler bundle. */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;

/**
 * Provided at run time, so kept out of the bundles: AWS SDK v3 ships inside the Lambda nodejs22.x
 * runtime, and Powertools (with its X-Ray SDK) comes from the official Powertools layer, pinned to
 * the exact version these bundles were built against (see POWERTOOLS_VERSION and the functions'
 * `layers`). @smithy/node-http-handler is bundled on purpose: it is tiny, and not a documented
 * top-level package of the runtime.
 */
export const EXTERNAL_PACKAGES = ["@aws-sdk/*", "@aws-lambda-powertools/*"];

/** The installed Powertools version: the functions' layer must carry this same version. */
export const POWERTOOLS_VERSION: string = (() => {
  // The package's exports hide package.json; walk up from its entry point instead.
  let dir = dirname(createRequire(import.meta.url).resolve("@aws-lambda-powertools/tracer"));
  while (!existsSync(join(dir, "package.json")) || !dir.endsWith("tracer")) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
})();

const handlersDir = dirname(fileURLToPath(import.meta.url));

/**
 * Bundles one handler into a single ESM file (the Lambda code's `index.mjs`, exporting `handler`):
 * minified, platform node, target node22.
 */
export const bundleHandlerSync = (name: HandlerName): { code: string; bytes: number } => {
  return bundleEsmSync({ entry: { file: join(handlersDir, `${name}.ts`) }, external: EXTERNAL_PACKAGES });
};

/**
 * Writes a handler's bundle as `<dir>/<name>/index.mjs` (the layout Lambda's `index.handler`
 * expects) and returns the file's path. For `@aws-sdk/*` to resolve outside Lambda, `dir` must
 * sit under a folder whose node_modules holds the SDK.
 */
export const writeHandlerBundle = (name: HandlerName, dir: string): string => {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, "index.mjs");
  writeFileSync(file, bundleHandlerSync(name).code);
  return file;
};
