/**
 * The stack outputs `smsctl campaign --stack` reads from an AWS stack (`pulumi stack output
 * --json`). One list for both sides: the infra exports exactly these keys (pipelineOutputs) and
 * connectAwsStack parses exactly these, so the two cannot drift. Plain constants: no SDK, no Pulumi.
 */
export const AWS_CAMPAIGN_OUTPUTS = [
  "region",
  "campaignsTable",
  "audienceBucket",
  /** The stack's KMS key: audience uploads are encrypted with it (SSE-KMS). */
  "audienceKeyArn",
  "tickerFunction",
  "enrollmentFunction",
] as const;

export type AwsCampaignOutputName = (typeof AWS_CAMPAIGN_OUTPUTS)[number];

/**
 * The revocation clocks table `smsctl compliance report --stack` lists. Not in AWS_CAMPAIGN_OUTPUTS:
 * a stack deployed before it still launches campaigns; only the report asks for a redeploy.
 */
export const AWS_REVOCATION_CLOCKS_OUTPUT = "revocationClocksTable";
