import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

export const HANDLER_NAMES = ["analytics", "responses", "archive"] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** The size budget of one minified handler bundle. */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;

/**
 * AWS SDK v3 ships inside the Lambda nodejs22.x runtime, so it stays out of the bundle (the
 * runtime resolves `@aws-sdk/*` imports). Everything else is bundled, Powertools included
 * (no layer to manage). @smithy/node-http-handler is bundled on purpose: it is tiny, and not a
 * documented top-level package of the runtime.
 */
export const EXTERNAL_PACKAGES = ["@aws-sdk/*"];

/** Some bundled dependencies are CommonJS and call require(); ESM output needs it defined. */
const REQUIRE_SHIM =
  'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);';

const handlersDir = dirname(fileURLToPath(import.meta.url));

/** zod's package entry, replaced in bundles by ./zod-lean.mjs (which imports the real API through this). */
const zodClassicApi = join(
  dirname(createRequire(import.meta.url).resolve("zod")),
  "v4",
  "classic",
  "external.js",
);

/**
 * Bundles one handler into a single ESM file (the Lambda code's `index.mjs`, exporting `handler`):
 * minified, platform node, target node22.
 */
export const bundleHandlerSync = (name: HandlerName): { code: string; bytes: number } => {
  const result = buildSync({
    entryPoints: [join(handlersDir, `${name}.ts`)],
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "esm",
    external: EXTERNAL_PACKAGES,
    // zod's namespace drags ~430 KB of locales and tooling into every bundle; see ./zod-lean.mjs.
    alias: { zod: join(handlersDir, "zod-lean.mjs"), "zod-classic-external": zodClassicApi },
    banner: { js: REQUIRE_SHIM },
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  return { code, bytes: Buffer.byteLength(code) };
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
