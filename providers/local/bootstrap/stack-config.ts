import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../../core/config";
import { type AwsStackConfig, parseAwsStackConfig } from "../../aws/infra/config";
import { type AzureStackConfig, parseAzureStackConfig } from "../../azure/infra/config";
import { type GcpStackConfig, parseGcpStackConfig } from "../../gcp/infra/config";

/**
 * A stack's settings from its Pulumi stack file (Pulumi.<cloud>.yaml), validated by the schema
 * the cloud's deployment uses, so the local run creates what the stack would. Keys of other
 * namespaces (`aws:region`, `gcp:project`) are the provider's, not the stack's.
 */
export function loadStackConfig<T>(file: string, parseConfig: (own: Record<string, unknown>) => T): T {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`cannot read the stack file ${file}`);
  }
  const { config = {} } = (parse(text) ?? {}) as { config?: Record<string, unknown> };
  const prefix = `${CONFIG_NAMESPACE}:`;
  const own = Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
  return parseConfig(own);
}

export const loadAwsStackConfig = (file: string): AwsStackConfig =>
  loadStackConfig(file, parseAwsStackConfig);

export const loadGcpStackConfig = (file: string): GcpStackConfig =>
  loadStackConfig(file, parseGcpStackConfig);

export const loadAzureStackConfig = (file: string): AzureStackConfig =>
  loadStackConfig(file, parseAzureStackConfig);
