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
