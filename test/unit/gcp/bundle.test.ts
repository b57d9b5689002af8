import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  BUNDLE_BUDGET_BYTES,
  bundleFunctionsSync,
  functionPackageJson,
  functionSourceFiles,
  RUNTIME_DEPENDENCIES,
} from "../../../providers/gcp/handlers/bundle";
import { FUNCTION_TARGETS } from "../../../providers/gcp/infra/environment";

// Under the repository, so the bundle's runtime dependencies resolve as Cloud Build installs them.
const outDir = mkdtempSync(join(process.cwd(), "node_modules", ".cache-gcp-bundle-test-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const { code, bytes } = bundleFunctionsSync();

describe("the GCP functions bundle", () => {
  it("imports nothing but Node built-ins and the runtime dependencies its package.json lists", () => {
    const specifiers = [
      ...[...code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]*?from\s*)?"([^"]+)"/g)].map((m) => m[1]),
      ...[...code.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]),
    ];
    const outside = specifiers.filter((s) => !builtins.has(s));
    const packageOf = (s: string) =>
      s
        .split("/")
        .slice(0, s.startsWith("@") ? 2 : 1)
        .join("/");
    expect(outside.length).toBeGreaterThan(0);
    for (const specifier of outside) expect(RUNTIME_DEPENDENCIES).toContain(packageOf(specifier));
  });

  it(`stays under ${BUNDLE_BUDGET_BYTES / 1024} KiB minified`, () => {
    expect(bytes).toBeLessThan(BUNDLE_BUDGET_BYTES);
  });

  it("ships an ESM package.json pinning each runtime dependency to the project's version", () => {
    const manifest = JSON.parse(functionPackageJson()) as {
      type: string;
      main: string;
      dependencies: Record<string, string>;
    };
    expect(manifest).toMatchObject({ type: "module", main: "index.js" });
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...RUNTIME_DEPENDENCIES].sort());
    for (const version of Object.values(manifest.dependencies))
      expect(version).toMatch(/^[~^]?\d+\.\d+\.\d+/);
    expect(Object.keys(functionSourceFiles()).sort()).toEqual(["index.js", "package.json"]);
  });

  it("registers every target with the Functions Framework when loaded, with no environment set", () => {
    const file = join(outDir, "index.mjs");
    writeFileSync(file, code);
    const script = `
      await import(${JSON.stringify(file)});
      const { getFunction } = await import("@google-cloud/functions-framework/testing");
      console.log(JSON.stringify(${JSON.stringify(Object.values(FUNCTION_TARGETS))}.map((t) => typeof getFunction(t))));
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: outDir,
      encoding: "utf8",
      env: { PATH: process.env["PATH"] ?? "" },
      timeout: 60_000,
    });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout.trim())).toEqual(Object.values(FUNCTION_TARGETS).map(() => "function"));
    expect(Object.values(FUNCTION_TARGETS)).toHaveLength(6);
  });
});
