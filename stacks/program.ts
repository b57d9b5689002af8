/**
 * The deployment, as a function of the stack name and its raw config: validate everything first,
 * then build exactly one cloud's pipeline. The entry file (index.ts) only calls this, so tests can
 * run it under Pulumi mocks with their own config and code.
 */
import type * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../core/config";
import { type HandlerName, Pipeline, parseAwsStackConfig, pipelineOutputs } from "../providers/aws/infra";

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

/** Where each cloud's pipeline is (or will be) built; named in the "not built yet" error. */
const NOT_BUILT_YET: Partial<Record<Cloud, string>> = {
  azure: "the Azure pipeline issue (providers/azure/infra: Event Hubs, Functions, Cosmos DB, Blob Storage)",
  gcp: "the GCP pipeline issue (providers/gcp/infra: Pub/Sub, Cloud Functions gen2, Firestore, Cloud Storage)",
};

export interface StackSources {
  /** The bundled code of each AWS function; called only for AWS stacks, after validation. */
  awsCode: () => Record<HandlerName, pulumi.Input<pulumi.asset.Archive>>;
  /** The Powertools version the AWS code is bundled against (its layer is attached to the functions). */
  powertoolsVersion: string;
}

/** The first day the archive's partition projection enumerates; fixed so deploys never diff. */
export const ARCHIVE_FIRST_DAY = "2026-01-01";

export type AwsStackOutputs = ReturnType<typeof pipelineOutputs>;

/**
 * Validates the stack's config (throwing before any resource exists) and deploys its cloud.
 * Azure and GCP stacks validate and then stop with one message: they have no pipeline yet.
 */
export function deployStack(
  stack: string,
  rawConfig: Record<string, unknown>,
  sources: StackSources,
): AwsStackOutputs {
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
    case "azure":
    case "gcp":
      parseStackConfig(rawConfig);
      throw new Error(
        `stack "${stack}": the ${cloud} pipeline is not built yet (config is valid); it is built by ${NOT_BUILT_YET[cloud]}. No resources were created.`,
      );
  }
}
