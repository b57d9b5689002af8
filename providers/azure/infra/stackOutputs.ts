/**
 * The stack outputs `smsctl campaign` reads (connectAzureStack): one list, so the stack entry that
 * exports them and the runtime that parses them cannot drift. Plain names, no Pulumi import.
 */
export const CAMPAIGN_STACK_OUTPUTS = [
  "cosmosEndpoint",
  "cosmosDatabase",
  "campaignsContainer",
  "audienceBlobEndpoint",
  "audienceContainer",
] as const;
export type CampaignStackOutput = (typeof CAMPAIGN_STACK_OUTPUTS)[number];

/**
 * The revocation clocks container `smsctl compliance report --stack` lists. Not in
 * CAMPAIGN_STACK_OUTPUTS: a stack deployed before it still launches campaigns.
 */
export const REVOCATION_CLOCKS_OUTPUT = "revocationClocksContainer";
