import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../core/config";
import { CONFIG_PARSERS, cloudOfStack } from "../../stacks/program";

const root = join(import.meta.dirname, "..", "..");
const stackFiles = readdirSync(root).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file));

/** The project's keys of a stack file, without the namespace (other namespaces, e.g. aws:region, are the providers'). */
const projectConfigOf = (file: string): Record<string, unknown> => {
  const { config = {} } = parse(readFileSync(join(root, file), "utf8")) as {
    config?: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(`${CONFIG_NAMESPACE}:`))
      .map(([key, value]) => [key.slice(CONFIG_NAMESPACE.length + 1), value]),
  );
};

describe("the stack files", () => {
  it("exist for every cloud", () => {
    expect(stackFiles.sort()).toEqual(
      expect.arrayContaining(["Pulumi.aws.yaml", "Pulumi.azure.yaml", "Pulumi.gcp.yaml"]),
    );
  });

  it.each(stackFiles)("%s passes its cloud's config schema", (file) => {
    const stack = file.split(".")[1];
    const raw = projectConfigOf(file);
    expect(Object.keys(raw).length).toBeGreaterThan(0);
    const parsed = CONFIG_PARSERS[cloudOfStack(stack)](raw);
    expect(parsed.alarms.deliveryRatePercent).toBe(95);
    expect(parsed.responseTtlDays).toBe(365);
  });

  it("declares the nodejs runtime run through tsx with stacks/index.ts as the entry", () => {
    const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8"));
    expect(project).toMatchObject({
      name: CONFIG_NAMESPACE,
      runtime: { name: "nodejs", options: { typescript: false, nodeargs: "--import tsx" } },
      main: "stacks/index.ts",
    });
  });
});
