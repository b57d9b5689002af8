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
  /** Import paths replaced by other paths or packages (esbuild's `alias`). */
  alias?: Record<string, string>;
}

export interface EsmBundle {
  code: string;
  bytes: number;
  /** The imports left in the code: external packages and Node built-ins. */
  externalImports: string[];
}

export const bundleEsmSync = ({ entry, external, alias }: EsmBundleInput): EsmBundle => {
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
    ...(alias ? { alias } : {}),
    metafile: true,
    banner: { js: REQUIRE_SHIM },
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles?.[0]?.text ?? "";
  const externalImports = new Set<string>();
  for (const output of Object.values(result.metafile?.outputs ?? {}))
    for (const { path, external: isExternal } of output.imports) if (isExternal) externalImports.add(path);
  return { code, bytes: Buffer.byteLength(code), externalImports: [...externalImports].sort() };
};
