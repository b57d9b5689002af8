/**
 * `smsctl review --stack` connectors before they reach any store: which sender each cloud builds
 * from its replySender output (the responses function's own), and on GCP when the Twilio auth token
 * is read. Connecting builds clients only; no test here reaches a cloud or an emulator (those runs
 * are test/integration/<cloud>/review-stack.test.ts). The token reader is stubbed: Secret Manager
 * has no emulator.
 */
import { Firestore } from "@google-cloud/firestore";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connectReview } from "../../cli/commands/review";
import type { SendRequest } from "../../core/ports";
import { connectAzureReview } from "../../providers/azure/runtime/review-stack";
import { connectGcpReview, twilioAuthTokenOf } from "../../providers/gcp/runtime/review-stack";

const stores = {
  optOutReviews: "sms-opt-out-reviews",
  optOuts: "sms-opt-outs",
  journeys: "sms-journeys",
  subscribers: "sms-subscribers",
  campaigns: "sms-campaigns",
};
const STOP = "You are unsubscribed. Reply START to resubscribe.";
const aws = {
  cloud: "aws",
  region: "us-east-1",
  tables: stores,
  replySender: { stopConfirmationText: STOP, originationIdentity: "", configurationSet: "sms-config" },
};
const azure = {
  cloud: "azure",
  cosmosEndpoint: "https://sms.documents.azure.com:443/",
  cosmosDatabase: "sms",
  containers: stores,
  replySender: {
    stopConfirmationText: STOP,
    acsEndpoint: "https://sms-acs.communication.azure.com/",
    senderNumber: "",
  },
};
const twilio = {
  stopConfirmationText: STOP,
  twilioAccountSid: `AC${"a".repeat(32)}`,
  twilioMessagingServiceSid: `MG${"b".repeat(32)}`,
  twilioStatusCallbackUrl: "https://sms-webhook.example.run.app",
  twilioAuthTokenSecret: "sms-twilio-auth-token",
};
const gcp = {
  cloud: "gcp",
  project: "sms-test",
  firestoreDatabase: "sms",
  collections: stores,
  replySender: twilio,
};
const confirmation: SendRequest = {
  to: "+12125550101",
  body: STOP,
  idempotencyKey: "evt-1:stop-confirmation",
  messageType: "transactional",
};
const firestore = () => new Firestore({ projectId: "sms-test" });

afterEach(() => vi.unstubAllEnvs());

describe("smsctl review --stack: each cloud's sender, as its responses function builds it", () => {
  it("AWS: End User Messaging from the stack's configuration set; the configured origination answers", async () => {
    const stack = await connectReview(aws);
    expect(stack.ports.sender.constructor.name).toBe("EumSmsSender");
    expect(stack.settings).toEqual({ stopConfirmationText: STOP });
    const withNumber = await connectReview({
      ...aws,
      replySender: { ...aws.replySender, originationIdentity: "+18005550100" },
    });
    expect(withNumber.settings).toEqual({ stopConfirmationText: STOP, senderNumber: "+18005550100" });
    expect(stack.describe()).toBe("aws us-east-1 table sms-opt-out-reviews");
  });

  it("Azure: without a sender number every confirmation fails, not retryable, as the responses app's do", async () => {
    const stack = connectAzureReview(azure, { cosmosKey: "a2V5" });
    expect(await stack.ports.sender.send(confirmation)).toMatchObject({ status: "failed", retryable: false });
    const withNumber = connectAzureReview(
      { ...azure, replySender: { ...azure.replySender, senderNumber: "+18005550100" } },
      { cosmosKey: "a2V5" },
    );
    expect(withNumber.ports.sender.constructor.name).toBe("AcsSmsSender");
    expect(withNumber.settings.senderNumber).toBe("+18005550100");
    await Promise.all([stack.close?.(), withNumber.close?.()]);
  });

  it("GCP: reads the Twilio auth token once, only when an accept may send, never to connect", async () => {
    const authToken = vi.fn(async () => "test-token");
    const stack = connectGcpReview(gcp, { firestore: firestore(), authToken });
    expect(authToken).not.toHaveBeenCalled();
    await stack.readySender?.();
    await stack.readySender?.();
    expect(authToken).toHaveBeenCalledTimes(1);
  });

  it("GCP: without Twilio configured it reads no token and every confirmation fails, as the function's do", async () => {
    const authToken = vi.fn(async () => "test-token");
    const stack = connectGcpReview(
      { ...gcp, replySender: { ...twilio, twilioAccountSid: "" } },
      { firestore: firestore(), authToken },
    );
    expect(await stack.ports.sender.send(confirmation)).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("Twilio is not configured: set TWILIO_ACCOUNT_SID"),
    });
    expect(authToken).not.toHaveBeenCalled();
  });

  it("GCP: the token comes from TWILIO_AUTH_TOKEN first, as the function's environment holds it", async () => {
    vi.stubEnv("TWILIO_AUTH_TOKEN", "from-env");
    expect(await twilioAuthTokenOf("sms-twilio-auth-token", "sms-test")).toBe("from-env");
  });

  it("names a missing or invalid output of Azure and GCP in one line, the first key at fault", async () => {
    const { optOutReviews: _, ...withoutQueue } = stores;
    await expect(connectReview({ ...azure, containers: withoutQueue })).rejects.toThrow(
      'Azure stack outputs: "containers.optOutReviews" is missing or invalid (a non-empty name, or a URL for an endpoint); is this an Azure stack of sms-campaigns?',
    );
    await expect(
      connectReview({ ...azure, replySender: { ...azure.replySender, acsEndpoint: "sms-acs" } }),
    ).rejects.toThrow(/^Azure stack outputs: "replySender\.acsEndpoint" is missing or invalid/);
    await expect(
      connectReview({ ...gcp, replySender: { ...twilio, twilioAuthTokenSecret: "" } }),
    ).rejects.toThrow(/^GCP stack outputs: "replySender\.twilioAuthTokenSecret" is missing or invalid/);
    await expect(connectReview({ ...gcp, cloud: "aws" })).rejects.toThrow(/^AWS stack outputs: "region"/);
  });
});
