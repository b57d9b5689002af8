import { describe, expect, it } from "vitest";
import { parseAwsCampaignOutputs } from "../../../providers/aws/runtime/campaign-stack";
import { AWS_CAMPAIGN_OUTPUTS } from "../../../providers/aws/runtime/stack-outputs";

const outputs = {
  region: "eu-west-1",
  campaignsTable: "sms-campaigns",
  audienceBucket: "sms-audiences-1a2b",
  audienceKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
  tickerFunction: "sms-ticker",
  enrollmentFunction: "sms-enrollment",
};

describe("the AWS stack outputs smsctl reads", () => {
  it("keeps exactly the campaign outputs of `pulumi stack output --json`", () => {
    expect(parseAwsCampaignOutputs({ ...outputs, streamName: "sms-events-stream" })).toEqual(outputs);
    expect(Object.keys(outputs).sort()).toEqual([...AWS_CAMPAIGN_OUTPUTS].sort());
  });

  it("names the missing key in one line", () => {
    const { audienceBucket: _, ...missing } = outputs;
    expect(() => parseAwsCampaignOutputs(missing)).toThrow(
      /^stack outputs: "audienceBucket" is missing \(is this an AWS stack of sms-campaigns\?\)$/,
    );
  });

  it("names an invalid key, and refuses what is not an outputs object", () => {
    expect(() => parseAwsCampaignOutputs({ ...outputs, region: 42 })).toThrow(
      /"region" is not a non-empty string/,
    );
    expect(() => parseAwsCampaignOutputs({ ...outputs, campaignsTable: "" })).toThrow(/"campaignsTable"/);
    expect(() => parseAwsCampaignOutputs(["aws"])).toThrow(/pulumi stack output --json/);
  });
});
