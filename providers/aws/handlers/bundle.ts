import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEsmSync } from "../../esm-bundle";
import type { HandlerName } from "../infra/functionNames";
import { DEFERRED_EXTERNALS_KEY } from "./deferred";

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

/** Marks the entry's own imports of the runtime's packages, which the shims must not replace. */
const RUNTIME_IMPORT = "deferred-runtime-import:";

/**
 * The bundle's entry: `handler` loads the runtime's packages, then the handler's module, at its
 * first invocation (deferred.ts). esbuild keeps the module in the same file with its evaluation
 * deferred until then.
 */
const deferredEntrySource = (name: HandlerName, externals: string[]): string =>
  [
    `import { deferredHandler } from "./deferred";`,
    "export const handler = deferredHandler(",
    "  {",
    ...externals.map(
      (pkg) => `    ${JSON.stringify(pkg)}: () => import(${JSON.stringify(RUNTIME_IMPORT + pkg)}),`,
    ),
    "  },",
    `  () => import("./${name}").then((module) => module.handler),`,
    ");",
    "",
  ].join("\n");

/**
 * Bundles one handler into a single ESM file (the Lambda code's `index.mjs`, exporting `handler`):
 * minified, platform node, target node22. Static imports of an external package would load it at
 * import, in Lambda's init phase (most of a cold start: the SDK and Powertools are large). So the
 * handler's imports of each external package the first build finds are pointed at a shim reading
 * the package from what the entry loaded at first invocation (deferred.ts).
 */
export const bundleHandlerSync = (name: HandlerName): { code: string; bytes: number } => {
  const file = join(handlersDir, `${name}.ts`);
  const { externalImports } = bundleEsmSync({ entry: { file }, external: EXTERNAL_PACKAGES });
  const shims = mkdtempSync(join(tmpdir(), `aws-${name}-shims-`));
  try {
    const alias = Object.fromEntries(
      externalImports.map((pkg, index) => {
        const shim = join(shims, `${index}.cjs`);
        writeFileSync(
          shim,
          `module.exports = globalThis[Symbol.for(${JSON.stringify(DEFERRED_EXTERNALS_KEY)})].get(${JSON.stringify(pkg)});\n`,
        );
        return [pkg, shim];
      }),
    );
    const { code } = bundleEsmSync({
      entry: {
        contents: deferredEntrySource(name, externalImports),
        resolveDir: handlersDir,
        sourcefile: `${name}-entry.ts`,
      },
      external: [...EXTERNAL_PACKAGES, `${RUNTIME_IMPORT}*`],
      alias,
    });
    const deployed = code.replaceAll(`"${RUNTIME_IMPORT}`, '"');
    return { code: deployed, bytes: Buffer.byteLength(deployed) };
  } finally {
    rmSync(shims, { recursive: true, force: true });
  }
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
