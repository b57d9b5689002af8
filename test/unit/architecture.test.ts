import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });

const importsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]);

/** Where a relative import lands, as a path from the repository root. */
const target = (file: string, specifier: string) =>
  specifier.startsWith(".") ? relative(root, resolve(root, file, "..", specifier)) : specifier;

const CLOUD_PACKAGES =
  /^(@aws-sdk|@smithy|@pulumi|@azure|@google-cloud|@aws-lambda-powertools|twilio|aws-lambda)(\/|$)/;

describe("dependencies point inward", () => {
  it("core imports no cloud SDK, no Pulumi and nothing outside core", () => {
    const offending = sourceFiles("core").flatMap((file) =>
      importsOf(file)
        .filter((s) => CLOUD_PACKAGES.test(s) || (s.startsWith(".") && !target(file, s).startsWith("core")))
        .map((s) => `${file} -> ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it("each cloud's provider folder imports no other cloud's provider folder", () => {
    const clouds = ["aws", "azure", "gcp"];
    const offending = clouds.flatMap((cloud) =>
      sourceFiles(join("providers", cloud)).flatMap((file) =>
        importsOf(file)
          .map((s) => target(file, s))
          .filter((t) => clouds.some((other) => other !== cloud && t.startsWith(join("providers", other))))
          .map((t) => `${file} -> ${t}`),
      ),
    );
    expect(offending).toEqual([]);
  });
});
