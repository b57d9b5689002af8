/**
 * The deployment, as a function of the stack name and its raw config: validate everything first,
 * then build exactly one cloud's pipeline. The entry file (index.ts) only calls this, so tests can
 * run it under Pulumi mocks with their own config and code.
 */
import type * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../core/config";
import { type HandlerName, Pipeline, parseAwsStackConfig, pipelineOutputs } from "../providers/aws/infra";
import {
  type HandlerName as AzureHandlerName,
  Pipeline as AzurePipeline,
  type AzureStackOutputs,
  azurePipelineOutputs,
  parseAzureStackConfig,
} from "../providers/azure/infra";

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
  gcp: parseStackConfig,
} satisfies Record<Cloud, (raw: unknown) => unknown>;

/** Where each cloud's pipeline is (or will be) built; named in the "not built yet" error. */
const NOT_BUILT_YET: Partial<Record<Cloud, string>> = {
  gcp: "the GCP pipeline issue (providers/gcp/infra: Pub/Sub, Cloud Functions gen2, Firestore, Cloud Storage)",
};

export interface StackSources {
  /** The bundled code of each AWS function; called only for AWS stacks, after validation. */
  awsCode: () => Record<HandlerName, pulumi.Input<pulumi.asset.Archive>>;
  /** The Powertools version the AWS code is bundled against (its layer is attached to the functions). */
  powertoolsVersion: string;
  /** The deployment package of each Azure function app; called only for Azure stacks. */
  azureCode?: () => Record<AzureHandlerName, pulumi.Input<pulumi.asset.Archive>>;
}

/** The first day the archive's partition projection enumerates; fixed so deploys never diff. */
export const ARCHIVE_FIRST_DAY = "2026-01-01";

export type AwsStackOutputs = ReturnType<typeof pipelineOutputs>;
export type StackOutputs = AwsStackOutputs | AzureStackOutputs;

/**
 * Validates the stack's config (throwing before any resource exists) and deploys its cloud.
 * GCP stacks validate and then stop with one message: they have no pipeline yet.
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
      return pipelineOutputs(pipeline);
    }
    case "azure": {
      const config = parseAzureStackConfig(rawConfig);
      if (!sources.azureCode) throw new Error("deployStack: an Azure stack needs sources.azureCode");
      const pipeline = new AzurePipeline("sms", {
        ...config,
        deploymentName: `sms-campaigns-${stack}`,
        code: sources.azureCode(),
      });
      return azurePipelineOutputs(pipeline);
    }
    case "gcp":
      CONFIG_PARSERS.gcp(rawConfig);
      throw new Error(
        `stack "${stack}": the ${cloud} pipeline is not built yet (config is valid); it is built by ${NOT_BUILT_YET[cloud]}. No resources were created.`,
      );
  }
}
