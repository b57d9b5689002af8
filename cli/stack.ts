/**
 * Reaching a deployed stack from smsctl: its outputs come from `pulumi stack output --json`
 * (--stack NAME) or from a file holding that output (--outputs FILE); the stack's `cloud` output
 * picks the provider module, which loads only for that cloud.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import type { Command } from "commander";
import type { CampaignStack } from "../core/ports";
import { fail, requireFile } from "./args";

export interface StackOptions {
  stack?: string;
  outputs?: string;
}

/** Adds --stack/--outputs to a command; stackOutputs requires exactly one. */
export const withStackOptions = (command: Command): Command =>
  command
    .option("--stack <name>", "the deployed stack (reads 'pulumi stack output --json --stack NAME')")
    .option("--outputs <file>", "a file holding 'pulumi stack output --json', instead of --stack");

const CLOUDS = ["aws", "azure", "gcp"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** One loader per cloud, each importing its provider module on demand (smsctl loads one cloud's SDKs only). */
export type PerCloud<T> = Record<Cloud, () => Promise<T>>;

const parseOutputs = (text: string, from: string): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail(`${from} is not JSON. Pass the output of 'pulumi stack output --json'`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    fail(`${from} is not a JSON object of stack outputs. Pass the output of 'pulumi stack output --json'`);
  }
  return parsed as Record<string, unknown>;
};

async function pulumiOutputs(stack: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("pulumi", ["stack", "output", "--json", "--stack", stack], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      fail(
        `--stack ${stack} needs the pulumi CLI, which is not on PATH. Install it, or pass --outputs FILE holding 'pulumi stack output --json --stack ${stack}'`,
      );
    }
    const stderr = String((error as { stderr?: string }).stderr ?? "")
      .trim()
      .split("\n")[0];
    fail(`pulumi stack output --stack ${stack} failed: ${stderr || (error as Error).message}`);
  }
}

/** The stack's outputs; exactly one of --stack or --outputs. */
export async function stackOutputs(options: StackOptions): Promise<Record<string, unknown>> {
  if ((options.stack === undefined) === (options.outputs === undefined)) {
    fail("pass exactly one of --stack NAME or --outputs FILE (the output of 'pulumi stack output --json')");
  }
  if (options.outputs !== undefined) {
    const path = await requireFile(options.outputs, "stack outputs file");
    return parseOutputs(await readFile(path, "utf8"), path);
  }
  return parseOutputs(await pulumiOutputs(options.stack!), `the outputs of stack ${options.stack}`);
}

type Connect = (outputs: Record<string, unknown>) => CampaignStack;

/** Each cloud's connector, imported on demand so smsctl loads one cloud's SDKs only. */
const CONNECTORS: PerCloud<Connect> = {
  aws: async () => (await import("../providers/aws/runtime/campaign-stack")).connectAwsStack,
  azure: async () => (await import("../providers/azure/runtime/campaign-stack")).connectAzureStack,
  gcp: async () => (await import("../providers/gcp/runtime/campaign-stack")).connectGcpStack,
};

/**
 * The loader of the cloud the outputs' `cloud` names; a missing or unknown cloud is one line, exit
 * 2. Every stack command picks its cloud here (connectStack, erase's connectors).
 */
export async function forCloudOf<T>(outputs: Record<string, unknown>, loaders: PerCloud<T>): Promise<T> {
  const cloud = outputs.cloud;
  if (!CLOUDS.includes(cloud as Cloud)) {
    fail(
      `the stack outputs have no valid "cloud" (got ${JSON.stringify(cloud)}); expected one of ${CLOUDS.join(", ")}. Redeploy with this version, or check the outputs file`,
    );
  }
  return loaders[cloud as Cloud]();
}

/** Connects to the stack the outputs describe. */
export async function connectStack(outputs: Record<string, unknown>): Promise<CampaignStack> {
  return (await forCloudOf(outputs, CONNECTORS))(outputs);
}
