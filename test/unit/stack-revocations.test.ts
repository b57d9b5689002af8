import { Firestore } from "@google-cloud/firestore";
import { Storage } from "@google-cloud/storage";
import { describe, expect, it } from "vitest";
import { connectAwsStack } from "../../providers/aws/runtime/campaign-stack";
import { DynamoDbRevocationClockStore } from "../../providers/aws/runtime/revocation-clocks";
import { AWS_REVOCATION_CLOCKS_OUTPUT } from "../../providers/aws/runtime/stack-outputs";
import { REVOCATION_CLOCKS_OUTPUT as AZURE_OUTPUT } from "../../providers/azure/infra/stackOutputs";
import { connectAzureStack } from "../../providers/azure/runtime/campaign-stack";
import { CosmosRevocationClockStore } from "../../providers/azure/runtime/revocation-clocks";
import { REVOCATION_CLOCKS_OUTPUT as GCP_OUTPUT } from "../../providers/gcp/infra/environment";
import { connectGcpStack } from "../../providers/gcp/runtime/campaign-stack";
import { FirestoreRevocationClockStore } from "../../providers/gcp/runtime/revocation-clocks";

// Connecting builds clients only: nothing here reaches a cloud or an emulator.
const aws = {
  region: "us-east-1",
  campaignsTable: "sms-campaigns",
  audienceBucket: "sms-audiences",
  audienceKeyArn: "arn:aws:kms:us-east-1:000000000000:key/k",
  tickerFunction: "sms-ticker",
  enrollmentFunction: "sms-enrollment",
};
const azure = {
  cosmosEndpoint: "https://sms.documents.azure.com:443/",
  cosmosDatabase: "sms",
  campaignsContainer: "sms-campaigns",
  audienceBlobEndpoint: "https://smsaud.blob.core.windows.net/",
  audienceContainer: "audience",
};
const gcp = {
  project: "sms-test",
  region: "europe-west1",
  firestoreDatabase: "sms",
  campaignsCollection: "sms-campaigns",
  audienceBucket: "sms-audience",
};
const gcpClients = () => ({ firestore: new Firestore({ projectId: "sms-test" }), storage: new Storage() });
const azureConnection = { cosmosKey: "a2V5", storageConnectionString: "UseDevelopmentStorage=true" };

describe("a connected stack's revocation clocks", () => {
  it("come from the output naming them, on each cloud", () => {
    expect(
      connectAwsStack({ ...aws, [AWS_REVOCATION_CLOCKS_OUTPUT]: "sms-revocation-clocks" }).revocations,
    ).toBeInstanceOf(DynamoDbRevocationClockStore);
    expect(
      connectAzureStack({ ...azure, [AZURE_OUTPUT]: "sms-revocation-clocks" }, azureConnection).revocations,
    ).toBeInstanceOf(CosmosRevocationClockStore);
    expect(
      connectGcpStack({ ...gcp, [GCP_OUTPUT]: "sms-revocation-clocks" }, gcpClients()).revocations,
    ).toBeInstanceOf(FirestoreRevocationClockStore);
  });

  it("are absent for a stack deployed before the output (its campaigns still connect)", () => {
    expect(connectAwsStack(aws).revocations).toBeUndefined();
    expect(connectAwsStack({ ...aws, [AWS_REVOCATION_CLOCKS_OUTPUT]: "" }).revocations).toBeUndefined();
    expect(connectAzureStack(azure, azureConnection).revocations).toBeUndefined();
    expect(connectGcpStack(gcp, gcpClients()).revocations).toBeUndefined();
  });
});
