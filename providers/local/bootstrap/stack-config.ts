import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../../core/config";
import { type AwsStackConfig, parseAwsStackConfig } from "../../aws/infra/config";

/**
 * The AWS stack's settings from its Pulumi stack file (Pulumi.aws.yaml), validated by the same
 * schema the deployment uses, so the local run creates what the stack would.
 */
export function loadAwsStackConfig(file: string): AwsStackConfig {
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
  return parseAwsStackConfig(own);
}
