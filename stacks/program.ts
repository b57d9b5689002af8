/**
 * The deployment, as a function of the stack name and its raw config: validate everything first,
 * then build exactly one cloud's pipeline. The entry file (index.ts) only calls this, so tests can
 * run it under Pulumi mocks with their own config and code.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type HandlerName, Pipeline, parseAwsStackConfig, pipelineOutputs } from "../providers/aws/infra";
import {
  type AppName as AzureAppName,
  Pipeline as AzurePipeline,
  type AzureStackOutputs,
  azurePipelineOutputs,
  parseAzureStackConfig,
} from "../providers/azure/infra";
import {
  type GcpFunctionName,
  Pipeline as GcpPipeline,
  gcpPipelineOutputs,
  parseGcpStackConfig,
} from "../providers/gcp/infra";

export const CLOUDS = ["aws", "azure", "gcp"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** The cloud a stack deploys to: its name, optionally suffixed (`aws`, `aws-staging`, `gcp-eu`). */
export function cloudOfStack(stack: string): Cloud {
  const cloud = CLOUDS.find((c) => stack === c || stack.startsWith(`${c}-`));
  if (!cloud) {
    throw new Error(
      `stack "${stack}": the stack name picks the cloud and must be ${CLOUDS.join(", ")} or start with "<cloud>-"`,
    );
  }
  return cloud;
}

/** Each cloud's config parser: the shared schema plus that cloud's own keys. */
export const CONFIG_PARSERS = {
  aws: parseAwsStackConfig,
  azure: parseAzureStackConfig,
  gcp: parseGcpStackConfig,
} satisfies Record<Cloud, (raw: unknown) => unknown>;

export interface StackSources {
  /** The bundled code of each AWS function; called only for AWS stacks, after validation. */
  awsCode: () => Record<HandlerName, pulumi.Input<pulumi.asset.Archive>>;
  /** The Powertools version the AWS code is bundled against (its layer is attached to the functions). */
  powertoolsVersion: string;
  /** The deployment package of each Azure function app; called only for Azure stacks. */
  azureCode?: () => Record<AzureAppName, pulumi.Input<pulumi.asset.Archive>>;
  /** The source of each GCP function, and the region (`gcp:region`); called only for GCP stacks. */
  gcpCode?: () => Record<GcpFunctionName, pulumi.Input<pulumi.asset.Archive>>;
  gcpRegion?: () => string;
}

/** The first day the archive's partition projection enumerates; fixed so deploys never diff. */
export const ARCHIVE_FIRST_DAY = "2026-01-01";

export type AwsStackOutputs = ReturnType<typeof pipelineOutputs>;
export type GcpStackOutputs = ReturnType<typeof gcpPipelineOutputs>;
/**
 * Every stack names its cloud, so `smsctl campaign --stack` knows which connector reads the rest,
 * and its revocation SLA window, so `smsctl compliance report --stack` shows the due times its
 * ticker judges by.
 */
export type StackOutputs = { cloud: Cloud; revocationSlaMinutes: number } & (
  | AwsStackOutputs
  | AzureStackOutputs
  | GcpStackOutputs
);

/**
 * Validates the stack's config (throwing before any resource exists) and deploys its cloud.
 */
export function deployStack(
  stack: string,
  rawConfig: Record<string, unknown>,
  sources: StackSources,
): StackOutputs {
  const cloud = cloudOfStack(stack);
  switch (cloud) {
    case "aws": {
      const config = parseAwsStackConfig(rawConfig);
      const pipeline = new Pipeline("sms", {
        ...config,
        deploymentName: `sms-campaigns-${stack}`,
        archiveFirstDay: ARCHIVE_FIRST_DAY,
        code: sources.awsCode(),
        powertoolsVersion: sources.powertoolsVersion,
      });
      return { cloud, revocationSlaMinutes: config.revocationSlaMinutes, ...pipelineOutputs(pipeline) };
    }
    case "azure": {
      const config = parseAzureStackConfig(rawConfig);
      if (!sources.azureCode) throw new Error("deployStack: an Azure stack needs sources.azureCode");
      const pipeline = new AzurePipeline("sms", {
        ...config,
        deploymentName: `sms-campaigns-${stack}`,
        code: sources.azureCode(),
      });
      return { cloud, revocationSlaMinutes: config.revocationSlaMinutes, ...azurePipelineOutputs(pipeline) };
    }
    case "gcp": {
      const config = parseGcpStackConfig(rawConfig);
      if (!sources.gcpCode || !sources.gcpRegion) {
        throw new Error("deployStack: a GCP stack needs sources.gcpCode and sources.gcpRegion");
      }
      const pipeline = new GcpPipeline("sms", {
        ...config,
        deploymentName: `sms-campaigns-${stack}`,
        region: sources.gcpRegion(),
        code: sources.gcpCode(),
      });
      return { cloud, revocationSlaMinutes: config.revocationSlaMinutes, ...gcpPipelineOutputs(pipeline) };
    }
  }
}
