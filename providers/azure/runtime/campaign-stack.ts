import { z } from "zod";
import type { CampaignStack } from "../../../core/ports";
import {
  CAMPAIGN_STACK_OUTPUTS,
  type CampaignStackOutput,
  REVOCATION_CLOCKS_OUTPUT,
} from "../infra/stackOutputs";
import { BlobAudienceStore } from "./audience-store";
import { CosmosCampaignStore } from "./campaign-store";
import { CosmosRevocationClockStore } from "./revocation-clocks";
import { type AzureStackConnection, azureStackClientsOf } from "./stack-clients";

export type { AzureStackConnection };

const OutputsSchema = z.object(
  Object.fromEntries(
    CAMPAIGN_STACK_OUTPUTS.map((key) => [
      key,
      z.string({ error: "is missing" }).min(1, { error: "is empty" }),
    ]),
  ) as Record<CampaignStackOutput, z.ZodString>,
);
export type AzureCampaignOutputs = z.infer<typeof OutputsSchema>;

/** The outputs connectAzureStack needs; one line naming the first key at fault. */
export function parseAzureCampaignOutputs(outputs: unknown): AzureCampaignOutputs {
  const result = OutputsSchema.safeParse(outputs ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`Azure stack outputs: "${issue?.path.join(".")}" ${issue?.message ?? "is invalid"}`);
}

/** The revocation clocks container the outputs name, or undefined for a stack deployed before it was exported. */
export function revocationClocksContainerOf(outputs: unknown): string | undefined {
  const container = (outputs as Record<string, unknown> | undefined)?.[REVOCATION_CLOCKS_OUTPUT];
  return typeof container === "string" && container !== "" ? container : undefined;
}

/**
 * A deployed Azure stack as `smsctl campaign` reaches it: its campaign store in Cosmos DB and its
 * private audience container, both with the operator's Entra ID credential (the stack disables
 * keys); the upload's BlobCreated event starts the enrollment function. Also its revocation
 * clocks container, when the outputs name it.
 */
export function connectAzureStack(outputs: unknown, connection: AzureStackConnection = {}): CampaignStack {
  const parsed = parseAzureCampaignOutputs(outputs);
  const clients = azureStackClientsOf(connection);
  const cosmos = clients.cosmos(parsed.cosmosEndpoint);
  const blobs = clients.blobs(parsed.audienceBlobEndpoint);
  const audience = new BlobAudienceStore(blobs.getContainerClient(parsed.audienceContainer));
  const database = cosmos.database(parsed.cosmosDatabase);
  const revocationClocks = revocationClocksContainerOf(outputs);
  return {
    describe: () =>
      `azure cosmos ${new URL(parsed.cosmosEndpoint).host} container ${parsed.audienceContainer} on ${new URL(parsed.audienceBlobEndpoint).host}`,
    campaigns: new CosmosCampaignStore(database.container(parsed.campaignsContainer)),
    uploadAudience: (key, csv) => audience.upload(key, csv),
    ...(revocationClocks
      ? { revocations: new CosmosRevocationClockStore(database.container(revocationClocks)) }
      : {}),
  };
}
