/**
 * The one way every cloud's functions are bundled: esbuild, a single minified ESM file for
 * Node 22. Cloud-neutral build tooling, shared by providers/<cloud>/handlers/bundle.ts.
 */
import { type BuildOptions, buildSync } from "esbuild";

/** Some bundled dependencies are CommonJS and call require(); ESM output needs it defined. */
const REQUIRE_SHIM =
  'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);';

export interface EsmBundleInput {
  /** A file to bundle, or generated entry source (`stdin`). */
  entry: { file: string } | { contents: string; resolveDir: string; sourcefile: string };
  /** Packages the platform provides at run time. */
  external: string[];
}

export const bundleEsmSync = ({ entry, external }: EsmBundleInput): { code: string; bytes: number } => {
  const source: BuildOptions =
    "file" in entry
      ? { entryPoints: [entry.file] }
      : {
          stdin: {
            contents: entry.contents,
            resolveDir: entry.resolveDir,
            loader: "ts",
            sourcefile: entry.sourcefile,
          },
        };
  const result = buildSync({
    ...source,
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "esm",
    external,
    banner: { js: REQUIRE_SHIM },
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles?.[0]?.text ?? "";
  return { code, bytes: Buffer.byteLength(code) };
};
