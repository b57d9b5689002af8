import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../core/config";
import { eventHubRetentionHours, parseAzureStackConfig } from "../../providers/azure/infra/config";

const text = readFileSync(join(import.meta.dirname, "..", "..", "Pulumi.azure.yaml"), "utf8");
const projectKeys = (config: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(`${CONFIG_NAMESPACE}:`))
      .map(([key, value]) => [key.slice(CONFIG_NAMESPACE.length + 1), value]),
  );

describe("Pulumi.azure.yaml", () => {
  it("passes the Azure config schema, with a one-week stream on the Standard tier", () => {
    const config = parseAzureStackConfig(projectKeys(parse(text).config));
    expect(config.eventHubsTier).toBe("Standard");
    expect(eventHubRetentionHours(config.streamRetentionHours, config.eventHubsTier)).toBe(168);
    expect(config.responseTtlDays).toBe(365);
  });

  it("documents every Azure key with a value the schema accepts", () => {
    const documented = text
      .split("\n")
      .filter((line) => line.startsWith(`  # ${CONFIG_NAMESPACE}:`))
      .map((line) => line.replace(/^ {2}# /, "  ").replace(/\s+#.*$/, ""))
      .join("\n");
    const raw = projectKeys(parse(`config:\n${documented}`).config);
    expect(Object.keys(raw).length).toBeGreaterThanOrEqual(15);
    expect(() => parseAzureStackConfig(raw)).not.toThrow();
  });
});
